using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

public sealed class GenerationEngineTests
{
    private static readonly (int Prompt, int MaxTokens)[] MixedLengths = [(1, 20), (37, 9), (5, 14), (12, 3), (48, 12), (2, 17), (23, 6), (30, 25)];

    [Fact]
    public async Task Greedy_tokens_with_the_cache_equal_recomputing_the_whole_sequence_each_step()
    {
        using var engine = Engine(TestModels.Models.Base);
        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        var prompt = Prompt(1, 9);

        var tokens = await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 30 } });

        Assert.Equal(reference.Greedy(prompt, 30), tokens.Ids());
        Assert.Equal(GenerationFinishReason.Length, tokens[^1].FinishReason);
        Assert.All(tokens.SkipLast(1), t => Assert.Null(t.FinishReason));
    }

    [Theory]
    [InlineData(8, 64, 16)] // all eight run together; long prompts prefill in chunks while others decode
    [InlineData(3, 8, 5)] // at most three run: the rest wait and join as others finish; a tight token budget
    public async Task Eight_concurrent_requests_of_mixed_lengths_each_give_the_tokens_they_give_alone(int maxRunning, int budget, int chunk)
    {
        using var engine = Engine(TestModels.Models.Base, o =>
        {
            o.MaxRunningSequences = maxRunning;
            o.MaxTokensPerStep = budget;
            o.PrefillChunkSize = chunk;
        });
        var requests = MixedLengths.Select((m, i) => new GenerationRequest(Prompt(100 + i, m.Prompt)) { Sampling = new SamplingOptions { MaxTokens = m.MaxTokens } }).ToList();
        var alone = new List<List<int>>();
        foreach (var request in requests)
        {
            alone.Add((await engine.CollectAsync(request)).Ids());
        }

        var together = await Task.WhenAll(requests.Select(r => Task.Run(() => engine.CollectAsync(r))));

        Assert.True(engine.PeakRunningSequences >= Math.Min(maxRunning, 3), $"peak {engine.PeakRunningSequences}: the requests should have run together");

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(alone[i], together[i].Ids());
            Assert.Equal(MixedLengths[i].MaxTokens, together[i].Count);
        }

        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        Assert.Equal(reference.Greedy(requests[4].PromptTokens, 12), alone[4]);
        await WaitUntilAsync(() => engine.RunningSequences == 0);
    }

    [Fact]
    public async Task Prompts_admitted_together_prefill_in_one_left_padded_run_and_each_gives_the_tokens_it_gives_alone()
    {
        using var engine = Engine(TestModels.Models.Base);
        (int Prompt, float Temperature)[] mix = [(1, 0f), (7, 0f), (19, 1.2f), (4, 0f), (12, 0.8f)];
        var requests = mix.Select((m, i) => new GenerationRequest(Prompt(400 + i, m.Prompt)) { Sampling = new SamplingOptions { Temperature = m.Temperature, Seed = i, MaxTokens = 10 } }).ToList();
        var alone = new List<List<int>>();
        foreach (var request in requests)
        {
            alone.Add((await engine.CollectAsync(request)).Ids());
        }

        Assert.Equal(0, engine.PromptsPrefilledTogether); // a lone prompt prefills alone, unpadded

        // Held until all five wait, so one step admits them and prefills them in one run.
        var results = await engine.CollectAdmittedTogetherAsync(requests);

        // Four prompts (1, 7, 4 and 12 tokens) in one run padded to 12; the 19-token one is longer than a chunk (16)
        // and prefills alone, in chunks, in the same steps.
        Assert.Equal(4, engine.PromptsPrefilledTogether);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(alone[i], results[i].Ids());
        }

        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        Assert.Equal(reference.Greedy(requests[1].PromptTokens, 10), results[1].Ids());
        await WaitUntilAsync(() => engine.RunningSequences == 0);
    }

    [Fact]
    public async Task A_decoder_that_masks_with_negative_infinity_gets_its_prompts_prefilled_one_at_a_time()
    {
        // The same decoder with −∞ for masked scores: a left-padded row sees no key, turns NaN and spreads it.
        var path = Path.Combine(TestModels.Folder, "base-infinite-mask.onnx");
        var proto = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestModels.Models.Base));
        var where = proto.Graph.Node.Single(n => n.OpType == "Where" && n.Name.StartsWith("/transformer/mask", StringComparison.Ordinal));
        var masked = proto.Graph.Initializer.Single(i => i.Name == where.Input[2]);
        masked.RawData = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(float.NegativeInfinity));
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        using var engine = Engine(path);
        var requests = new[] { 3, 9, 6 }.Select((length, i) => new GenerationRequest(Prompt(500 + i, length)) { Sampling = new SamplingOptions { MaxTokens = 6 } }).ToList();

        var results = await engine.CollectAdmittedTogetherAsync(requests);

        Assert.Equal(0, engine.PromptsPrefilledTogether);
        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(reference.Greedy(requests[i].PromptTokens, 6), results[i].Ids());
        }
    }

    [Fact]
    public async Task A_seed_gives_the_same_tokens_whatever_else_runs_in_the_batch()
    {
        using var engine = Engine(TestModels.Models.Base);
        var sampling = new SamplingOptions { Temperature = 1.5f, TopK = 40, TopP = 0.95f, Seed = 42, MaxTokens = 24 };
        var request = new GenerationRequest(Prompt(3, 6)) { Sampling = sampling };

        var alone = (await engine.CollectAsync(request)).Ids();
        var crowd = Enumerable.Range(0, 7).Select(i => new GenerationRequest(Prompt(200 + i, 3 + (5 * i))) { Sampling = new SamplingOptions { Temperature = 1f, Seed = i, MaxTokens = 5 + (3 * i) } });
        var withSampled = await Task.WhenAll(crowd.Prepend(request).Select(r => Task.Run(() => engine.CollectAsync(r))));
        var greedyCrowd = Enumerable.Range(0, 3).Select(i => new GenerationRequest(Prompt(300 + i, 20)) { Sampling = new SamplingOptions { MaxTokens = 30 } });
        var withGreedy = await Task.WhenAll(greedyCrowd.Append(request).Select(r => Task.Run(() => engine.CollectAsync(r))));
        var otherSeed = (await engine.CollectAsync(request with { Sampling = sampling with { Seed = 43 } })).Ids();

        Assert.Equal(alone, withSampled[0].Ids());
        Assert.Equal(alone, withGreedy[^1].Ids());
        Assert.NotEqual(alone, otherSeed);
        Assert.True(alone.Distinct().Count() > 5, "sampling at temperature 1.5 should not be greedy-like");
    }

    [Fact]
    public async Task A_stop_token_ends_the_sequence_with_reason_stop_and_max_tokens_with_reason_length()
    {
        using var engine = Engine(TestModels.Models.Base);
        var prompt = Prompt(4, 5);
        var greedy = (await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 20 } })).Ids();
        var stopAt = Enumerable.Range(1, greedy.Count - 1).First(i => greedy.IndexOf(greedy[i]) == i);

        var stopped = await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 20, StopTokenIds = [greedy[stopAt]] } });
        var short4 = await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 4 } });

        Assert.Equal(greedy.Take(stopAt + 1), stopped.Ids());
        Assert.Equal(GenerationFinishReason.Stop, stopped[^1].FinishReason);
        Assert.Equal(greedy.Take(4), short4.Ids());
        Assert.Equal(GenerationFinishReason.Length, short4[^1].FinishReason);
    }

    [Fact]
    public async Task Cancelling_a_request_ends_its_enumeration_at_once_frees_its_place_and_leaves_the_others_unchanged()
    {
        using var engine = Engine(TestModels.Models.Base, o => o.MaxRunningSequences = 2);
        var others = Enumerable.Range(0, 3).Select(i => new GenerationRequest(Prompt(400 + i, 4 + i)) { Sampling = new SamplingOptions { MaxTokens = 15 } }).ToList();
        var alone = new List<List<int>>();
        foreach (var request in others)
        {
            alone.Add((await engine.CollectAsync(request)).Ids());
        }

        using var cts = new CancellationTokenSource();
        var received = 0;
        var cancelled = Task.Run(async () =>
        {
            await foreach (var token in engine.GenerateAsync(new GenerationRequest(Prompt(5, 3)) { Sampling = new SamplingOptions { MaxTokens = 60 } }, cts.Token))
            {
                if (++received == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });
        var rest = others.Select(r => Task.Run(() => engine.CollectAsync(r))).ToList();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(2, received);
        var results = await Task.WhenAll(rest);
        for (var i = 0; i < others.Count; i++)
        {
            Assert.Equal(alone[i], results[i].Ids());
        }

        await WaitUntilAsync(() => engine.RunningSequences == 0 && engine.WaitingSequences == 0);
    }

    [Fact]
    public async Task Leaving_the_enumeration_early_removes_the_sequence()
    {
        using var engine = Engine(TestModels.Models.Base, o => o.MaxRunningSequences = 1);
        await foreach (var token in engine.GenerateAsync(new GenerationRequest(Prompt(6, 3)) { Sampling = new SamplingOptions { MaxTokens = 60 } }))
        {
            break;
        }

        // With one place, the next request can only run once the abandoned one has left.
        var next = await engine.CollectAsync(new GenerationRequest(Prompt(7, 3)) { Sampling = new SamplingOptions { MaxTokens = 3 } });

        Assert.Equal(3, next.Count);
        await WaitUntilAsync(() => engine.RunningSequences == 0);
    }

    [Fact]
    public async Task The_context_window_is_enforced_with_a_clear_error_and_output_stops_at_its_end()
    {
        using var engine = Engine(TestModels.Models.Base);
        Assert.Equal(64, engine.ContextLength);

        var error = Assert.Throws<ContextWindowExceededException>(() => engine.GenerateAsync(new GenerationRequest(Prompt(8, 64))));
        Assert.Equal(64, error.PromptTokens);
        Assert.Contains("context window holds 64 tokens", error.Message);

        var tokens = await engine.CollectAsync(new GenerationRequest(Prompt(9, 60)) { Sampling = new SamplingOptions { MaxTokens = 50 } });
        Assert.Equal(4, tokens.Count);
        Assert.Equal(GenerationFinishReason.Length, tokens[^1].FinishReason);
    }

    [Fact]
    public void Invalid_requests_fail_before_they_run_and_name_every_problem()
    {
        using var engine = Engine(TestModels.Models.Base);

        Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest([])));
        Assert.Contains("outside the model's vocabulary of 97", Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest([5, 97]))).Message);
        var error = Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest([1]) { Sampling = new SamplingOptions { TopP = 0, MaxTokens = 0, Temperature = -1 } }));
        Assert.Contains("TopP", error.Message);
        Assert.Contains("MaxTokens", error.Message);
        Assert.Contains("Temperature", error.Message);
        Assert.Throws<KeyNotFoundException>(() => engine.GenerateAsync(new GenerationRequest([1]) { Adapter = "nope" }));
        Assert.Throws<ArgumentException>(() => new GenerationEngine(new GenerationEngineOptions { ModelPath = TestModels.Models.Base, MaxRunningSequences = 8, MaxTokensPerStep = 8 }));
    }

    [Fact]
    public async Task Log_probabilities_are_the_models_log_softmax()
    {
        using var engine = Engine(TestModels.Models.Base);
        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        var prompt = Prompt(10, 7);

        var tokens = await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 2, TopLogProbabilities = 3 } });

        var logits = reference.LastLogits(prompt);
        var max = logits.Max();
        var logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        Assert.Equal(logits[tokens[0].TokenId] - logSum, tokens[0].LogProbability, 3);
        Assert.Equal(3, tokens[0].TopLogProbabilities!.Count);
        Assert.Equal(tokens[0].TokenId, tokens[0].TopLogProbabilities![0].TokenId);
        Assert.True(tokens[0].TopLogProbabilities![1].LogProbability <= tokens[0].TopLogProbabilities![0].LogProbability);
    }

    [Fact]
    public async Task Disposing_the_engine_ends_running_requests_with_an_error_and_refuses_new_ones()
    {
        var engine = Engine(TestModels.Models.Base);
        var running = engine.CollectAsync(new GenerationRequest(Prompt(11, 3)) { Sampling = new SamplingOptions { MaxTokens = 60 } });
        await WaitUntilAsync(() => engine.RunningSequences > 0 || running.IsCompleted);

        engine.Dispose();

        if (!running.IsCompletedSuccessfully)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
        }

        Assert.Throws<ObjectDisposedException>(() => engine.GenerateAsync(new GenerationRequest([1])));
    }
}
