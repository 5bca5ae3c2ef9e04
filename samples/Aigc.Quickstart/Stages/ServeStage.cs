using System.Diagnostics;
using Aigc;
using Aigc.Data;
using Aigc.Inference;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage: serve the <c>@champion</c> version through the continuous-batching <see cref="GenerationEngine"/>: every
/// request arrives at once, the engine decodes them together (new sequences join after their prefill, finished
/// ones leave), and each response carries the model version that wrote it.
/// </summary>
internal static class ServeStage
{
    public static async Task<ServeOutcome> RunAsync(IModelRegistry registry, HeldOut products, QuickstartSettings settings, CancellationToken cancellationToken)
    {
        var champion = await registry.ResolveAsync(ModelUri.ForAlias(QuickstartPipeline.ModelName, "champion"), cancellationToken);
        var path = await registry.GetArtifactPathAsync(champion.Name, champion.Version, "model.onnx", cancellationToken);
        await using var engine = new GenerationEngine(new GenerationEngineOptions { ModelPath = path, ModelName = champion.Uri.ToString(), MaxRunningSequences = 16 });
        var generator = new TextGenerator(engine, RecordTokenizer.Gpt2Tokenizer);

        #region serve
        var requests = Enumerable.Range(0, settings.ServeRequests)
            .Select(i => products.Records[i % products.Records.Count])
            .Select((record, i) => new ServeRequest(i, record, new SamplingOptions { MaxTokens = 48, Temperature = 0.7f, TopP = 0.95f, Seed = 1000 + i }))
            .ToList();
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(requests.Select(async request =>
        {
            var result = await generator.GenerateAsync(HeldOut.Prompt(request.Record), request.Sampling, cancellationToken: cancellationToken);
            return new ServedResponse(request, result.Text.Trim(), result.OutputTokenCount, champion.Uri);
        }));
        clock.Stop();
        #endregion

        var tokens = responses.Sum(r => r.Tokens);
        var outcome = new ServeOutcome(champion.Uri, responses, tokens, clock.Elapsed, tokens / clock.Elapsed.TotalSeconds);
        Console.WriteLine($"  model           {champion.Uri} (@champion) on ONNX Runtime, up to 16 sequences a step");
        Console.WriteLine($"  served          {responses.Length} concurrent requests, {tokens} tokens in {clock.Elapsed.TotalSeconds:F2} s = {outcome.TokensPerSecond:F0} tokens/s");
        foreach (var response in responses.Take(3))
        {
            Console.WriteLine($"  [{response.Version}] {PipelinePrinter.Trim(response.Text)}");
        }

        return outcome;
    }
}

/// <summary>One request of the serving stage.</summary>
internal sealed record ServeRequest(int Index, DataRecord Record, SamplingOptions Sampling);

/// <summary>A response, with the version that wrote it.</summary>
internal sealed record ServedResponse(ServeRequest Request, string Text, int Tokens, ModelUri Version);

/// <summary>What the serving stage measured.</summary>
internal sealed record ServeOutcome(ModelUri Version, IReadOnlyList<ServedResponse> Responses, int Tokens, TimeSpan Elapsed, double TokensPerSecond);
