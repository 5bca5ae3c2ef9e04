namespace Aigc.Inference.Tests.Generation;

internal static class EngineTestHelpers
{
    public static GenerationEngine Engine(string path, Action<GenerationEngineOptions>? configure = null)
    {
        var options = new GenerationEngineOptions { ModelPath = path, IntraOpThreads = 1, MaxRunningSequences = 8, MaxTokensPerStep = 64, PrefillChunkSize = 16 };
        configure?.Invoke(options);
        return new GenerationEngine(options);
    }

    public static async Task<List<GeneratedToken>> CollectAsync(this GenerationEngine engine, GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var tokens = new List<GeneratedToken>();
        await foreach (var token in engine.GenerateAsync(request, cancellationToken))
        {
            tokens.Add(token);
        }

        return tokens;
    }

    public static List<int> Ids(this List<GeneratedToken> tokens) => tokens.Select(t => t.TokenId).ToList();

    /// <summary>Holds the engine's scheduler until every request waits, so one step admits them all; returns each one's tokens.</summary>
    public static async Task<List<GeneratedToken>[]> CollectAdmittedTogetherAsync(this GenerationEngine engine, IReadOnlyList<GenerationRequest> requests)
    {
        using var gate = new ManualResetEventSlim(false);
        engine.BeforeStep = gate.Wait;
        var running = requests.Select(r => Task.Run(() => engine.CollectAsync(r))).ToList();
        await WaitUntilAsync(() => engine.WaitingSequences == requests.Count);
        gate.Set();
        engine.BeforeStep = null;
        return await Task.WhenAll(running);
    }

    public static int[] Prompt(int seed, int length, int vocab = 97)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(vocab)).ToArray();
    }

    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
