using Aigc;
using Aigc.Data;
using Aigc.Inference;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// The quality gate's evaluation: serves a registered version's ONNX model with the continuous-batching
/// <see cref="GenerationEngine"/>, answers every held-out prompt at once (greedy) and scores the answers. The
/// held-out set is the test split of the newest catalog version, the same for the candidate and the champion.
/// </summary>
internal sealed class GateEvaluator(IModelRegistry registry, IDatasetStore store, QuickstartSettings settings)
{
    private HeldOut? _held;

    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        _held ??= await HeldOut.LoadAsync(store, (await store.GetAsync(CurateStage.DatasetName, cancellationToken: cancellationToken))!.ToReference(), settings.HeldOut, cancellationToken);
        var path = await registry.GetArtifactPathAsync(version.Name, version.Version, "model.onnx", cancellationToken);
        await using var engine = new GenerationEngine(new GenerationEngineOptions { ModelPath = path, ModelName = version.Uri.ToString(), MaxRunningSequences = 32 });
        var generator = new TextGenerator(engine, RecordTokenizer.Gpt2Tokenizer);
        var sampling = new SamplingOptions { MaxTokens = EvaluateStage.MaxNewTokens };
        var answers = await Task.WhenAll(_held.Prompts.Select(p => generator.GenerateAsync(p, sampling, cancellationToken: cancellationToken)));
        var scores = QualityScore.Score([.. answers.Select(a => a.Text.Trim())], _held.References);
        Console.WriteLine($"  gate evaluation {version.Uri,-26} {_held.Records.Count} held-out prompts on ONNX Runtime: style {scores[QualityScore.StyleShare],4:P0}, chrF {scores[QualityScore.ChrF]:F1}");
        return scores;
    }
}
