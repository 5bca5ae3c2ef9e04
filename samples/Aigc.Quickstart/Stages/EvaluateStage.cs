using System.Text.RegularExpressions;
using Aigc;
using Aigc.Data;
using Aigc.Monitoring;
using Aigc.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 3: generate descriptions for held-out Aurora products with the base and the fine-tuned model (greedy,
/// KV cache) and score them: BLEU and chrF against the references (sacreBLEU definitions) and the share of outputs
/// in the Aurora style (an Aurora mark and no Nordic mark).
/// </summary>
internal static partial class EvaluateStage
{
    public static async Task<(EvaluationFigures Base, EvaluationFigures Tuned)> RunAsync(IDatasetStore store, DatasetManifest dataset, Gpt2LanguageModel baseModel, LoraModel tuned, CancellationToken cancellationToken)
    {
        var held = (await store.ReadAsync(dataset.Name, dataset.Version, "test", cancellationToken).ToListAsync(cancellationToken))
            .Where(r => r.Labels.TryGetValue("style", out var s) && s == SyntheticCatalog.Aurora)
            .Take(24)
            .ToList();
        tuned.AdaptersDisabled = true;
        var before = Score(baseModel, held);
        tuned.AdaptersDisabled = false;
        var after = Score(tuned.Model, held);
        Console.WriteLine($"  held-out        {held.Count} Aurora products (test split), greedy decoding, 40 new tokens at most");
        Console.WriteLine($"  base            BLEU {before.Bleu,5:F1}  chrF {before.ChrF,5:F1}  Aurora style {before.StyleShare,6:P0}");
        Console.WriteLine($"  fine-tuned      BLEU {after.Bleu,5:F1}  chrF {after.ChrF,5:F1}  Aurora style {after.StyleShare,6:P0}");
        Console.WriteLine($"  example         {Trim(after.Example)}");
        return (before, after);
    }

    private static EvaluationFigures Score(Gpt2LanguageModel model, IReadOnlyList<DataRecord> records)
    {
        var tokenizer = RecordTokenizer.Gpt2Tokenizer;
        var hypotheses = new List<string>(records.Count);
        foreach (var record in records)
        {
            var prompt = ChatTemplate.Alpaca.RenderInstructionPrompt(record.GetField(FieldNames.Instruction)!, record.GetField(FieldNames.Input));
            var ids = tokenizer.EncodeToIds(prompt).ToArray();
            var generated = Greedy(model, ids, maxNewTokens: 40, eos: RecordTokenizer.Gpt2EndOfTextId);
            hypotheses.Add(tokenizer.Decode(generated).Trim());
        }

        var references = records.Select(r => r.GetField(FieldNames.Output)).ToList();
        var bleu = new BleuScorer().CorpusScore(hypotheses, [references]).Score;
        var chrF = new ChrFScorer().CorpusScore(hypotheses, [references]).Score;
        var style = hypotheses.Count(h => AuroraStyle().IsMatch(h) && !NordicStyle().IsMatch(h)) / (double)Math.Max(1, hypotheses.Count);
        return new EvaluationFigures(bleu, chrF, style, hypotheses.FirstOrDefault() ?? string.Empty);
    }

    /// <summary>Greedy decoding with the model's KV cache.</summary>
    internal static int[] Greedy(Gpt2LanguageModel model, int[] prompt, int maxNewTokens, int eos)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var room = model.Config.Positions - prompt.Length;
        var output = model.Forward(torch.tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0));
        var result = new List<int>();
        for (var step = 0; step < Math.Min(maxNewTokens, room); step++)
        {
            var next = (int)output.Logits[0, -1].argmax().item<long>();
            if (next == eos)
            {
                break;
            }

            result.Add(next);
            output = model.Forward(torch.tensor(new long[] { next }).unsqueeze(0), past: output.Present);
        }

        return [.. result];
    }

    private static string Trim(string text) => text.Length <= 110 ? text : text[..110] + "…";

    /// <summary>Marks of the Aurora style: exclamations, emoji, talking to the reader.</summary>
    [GeneratedRegex("!|✨|🎉|💛|You'll love|Grab yours|Treat yourself|Say hello|Meet your", RegexOptions.CultureInvariant)]
    private static partial Regex AuroraStyle();

    /// <summary>Marks of the Nordic style: an output in the target style has none of them.</summary>
    [GeneratedRegex("Colour:|Material:|Designed for|suited to|made of", RegexOptions.CultureInvariant)]
    private static partial Regex NordicStyle();
}

/// <summary>The figures of one model on the held-out set.</summary>
internal sealed record EvaluationFigures(double Bleu, double ChrF, double StyleShare, string Example);
