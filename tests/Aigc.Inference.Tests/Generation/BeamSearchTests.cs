using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

public sealed class BeamSearchTests
{
    /// <summary>Beam search by brute force over the no-cache oracle: every beam extended by every token, the best <paramref name="width"/> kept.</summary>
    private static (List<int> Tokens, double Score) ReferenceBeam(ReferenceDecoder reference, int[] prompt, int width, int length)
    {
        var beams = new List<(List<int> Tokens, double Score)> { ([], 0) };
        for (var step = 0; step < length; step++)
        {
            var candidates = new List<(List<int> Tokens, double Score)>();
            foreach (var (tokens, score) in beams)
            {
                var logits = reference.LastLogits([.. prompt, .. tokens]);
                var max = logits.Max();
                var logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                for (var t = 0; t < logits.Length; t++)
                {
                    candidates.Add(([.. tokens, t], score + logits[t] - logSum));
                }
            }

            beams = candidates.OrderByDescending(c => c.Score).Take(width).ToList();
        }

        return beams[0];
    }

    [Fact]
    public async Task Beam_search_finds_the_same_best_hypothesis_as_a_brute_force_search_and_beats_greedy()
    {
        using var engine = Engine(TestModels.Models.Base);
        using var reference = new ReferenceDecoder(TestModels.Models.Base);
        var prompt = Prompt(50, 6);

        var beam = await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 5, BeamSearch = new BeamSearchOptions { BeamWidth = 3 } } });
        var expected = ReferenceBeam(reference, prompt, 3, 5);

        Assert.Equal(expected.Tokens, beam.Ids());
        Assert.Equal(GenerationFinishReason.Length, beam[^1].FinishReason);
        var greedy = reference.Greedy(prompt, 5);
        Assert.True(expected.Score >= Score(reference, prompt, greedy) - 1e-4);
    }

    [Fact]
    public async Task Beam_requests_run_beside_sampled_requests_without_changing_them()
    {
        using var engine = Engine(TestModels.Models.Base);
        var prompt = Prompt(51, 9);
        var beamRequest = new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 6, BeamSearch = new BeamSearchOptions { BeamWidth = 4, EarlyStopping = false, LengthPenalty = 0.5 } } };
        var others = Enumerable.Range(0, 3).Select(i => new GenerationRequest(Prompt(60 + i, 5)) { Sampling = new SamplingOptions { MaxTokens = 10 } }).ToList();
        var beamAlone = (await engine.CollectAsync(beamRequest)).Ids();
        var othersAlone = new List<List<int>>();
        foreach (var request in others)
        {
            othersAlone.Add((await engine.CollectAsync(request)).Ids());
        }

        var together = await Task.WhenAll(others.Prepend(beamRequest).Select(r => Task.Run(() => engine.CollectAsync(r))));

        Assert.Equal(beamAlone, together[0].Ids());
        for (var i = 0; i < others.Count; i++)
        {
            Assert.Equal(othersAlone[i], together[i + 1].Ids());
        }
    }

    private static double Score(ReferenceDecoder reference, int[] prompt, List<int> tokens)
    {
        var score = 0.0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var logits = reference.LastLogits([.. prompt, .. tokens.Take(i)]);
            var max = logits.Max();
            score += logits[tokens[i]] - (max + Math.Log(logits.Sum(l => Math.Exp(l - max))));
        }

        return score;
    }
}
