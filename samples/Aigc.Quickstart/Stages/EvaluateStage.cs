using Aigc;
using Aigc.Data;
using Aigc.Monitoring;
using Aigc.Training;
using TorchSharp;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 3: generate descriptions for held-out Aurora products with the base and the fine-tuned model (greedy,
/// KV cache, in TorchSharp) and score them (<see cref="QualityScore"/>); and the perplexity of both on the Aurora
/// validation sequences. Metrics are named <c>base.*</c> and <c>tuned.*</c>; the register step records the
/// <c>tuned.*</c> ones on the fine-tuned version.
/// </summary>
internal static class EvaluateStage
{
    public const int MaxNewTokens = 40;

    public static async Task<ModelPipelineStepOutput> RunAsync(IDatasetStore store, ModelPipelineContext context, QuickstartSettings settings, CancellationToken cancellationToken)
    {
        var dataset = DatasetPipelineStep.GetDataset(context.GetOutput(QuickstartPipeline.Catalog));
        var held = await HeldOut.LoadAsync(store, dataset, settings.HeldOut, cancellationToken);
        var (_, validation) = await TrainStage.AuroraSequencesAsync(store, dataset, cancellationToken);
        var baseDirectory = context.GetOutput(QuickstartPipeline.Pretrain).GetValue(TrainPipelineStep.ModelKey);
        var adapterDirectory = context.GetOutput(QuickstartPipeline.Adapt).GetValue(TrainPipelineStep.ModelKey);

        TorchSharpRuntime.EnsureLoaded();
        using var baseModel = Gpt2Checkpoint.Load(baseDirectory);
        var tuned = LoraModel.Load(baseModel, adapterDirectory);
        using var scorer = new CausalLmTrainer(tuned, new TrainerOptions { OutputDirectory = context.WorkDirectory, BatchSize = 8 });
        tuned.AdaptersDisabled = true;
        var (before, baseExample) = Score(tuned.Model, held);
        before[QualityScore.Perplexity] = Perplexity.FromMeanNegativeLogLikelihood(scorer.Evaluate(validation));
        tuned.AdaptersDisabled = false;
        var (after, tunedExample) = Score(tuned.Model, held);
        after[QualityScore.Perplexity] = Perplexity.FromMeanNegativeLogLikelihood(scorer.Evaluate(validation));

        var metrics = before.ToDictionary(p => "base." + p.Key, p => p.Value);
        foreach (var (key, value) in after)
        {
            metrics["tuned." + key] = value;
        }

        metrics["held_out"] = held.Records.Count;
        return new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string> { ["example.base"] = baseExample, ["example.tuned"] = tunedExample, ["example.prompt"] = held.Records[0].GetField(FieldNames.Input) ?? string.Empty },
            Metrics = metrics,
        };
    }

    private static (Dictionary<string, double> Metrics, string Example) Score(Gpt2LanguageModel model, HeldOut held)
    {
        var tokenizer = RecordTokenizer.Gpt2Tokenizer;
        var hypotheses = held.Prompts
            .Select(prompt => tokenizer.Decode(Greedy(model, [.. tokenizer.EncodeToIds(prompt)], MaxNewTokens, RecordTokenizer.Gpt2EndOfTextId)).Trim())
            .ToList();
        return (QualityScore.Score(hypotheses, held.References), hypotheses.FirstOrDefault() ?? string.Empty);
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
}
