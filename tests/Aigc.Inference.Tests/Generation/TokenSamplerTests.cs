namespace Aigc.Inference.Tests.Generation;

public sealed class TokenSamplerTests
{
    private static readonly SamplerScratch Scratch = new(8);

    private static int[] Draw(SamplingOptions options, float[] logits, int count, List<int>? history = null)
    {
        var sampler = new TokenSampler(options, []);
        return Enumerable.Range(0, count).Select(_ => sampler.Next(logits, history ?? [], Scratch).TokenId).ToArray();
    }

    [Fact]
    public void Greedy_picks_the_largest_logit_and_top_k_1_is_greedy_at_any_temperature()
    {
        float[] logits = [0.1f, 2f, 5f, -1f, 4.9f, 0, 0, 0];
        Assert.All(Draw(new SamplingOptions(), logits, 5), t => Assert.Equal(2, t));
        Assert.All(Draw(new SamplingOptions { Temperature = 5, TopK = 1, Seed = 1 }, logits, 20), t => Assert.Equal(2, t));
    }

    [Fact]
    public void Top_k_and_top_p_keep_only_the_most_likely_tokens_and_temperature_spreads_the_draws()
    {
        float[] logits = [3f, 2.9f, 2.8f, 0f, 0f, 0f, 0f, 0f];
        var topK = Draw(new SamplingOptions { Temperature = 1, TopK = 2, Seed = 3 }, logits, 300);
        Assert.All(topK, t => Assert.Contains(t, new[] { 0, 1 }));
        Assert.Contains(1, topK);

        // p(0) ≈ 0.30 of the whole: a nucleus of 0.25 holds only token 0.
        Assert.All(Draw(new SamplingOptions { Temperature = 1, TopP = 0.25f, Seed = 4 }, logits, 100), t => Assert.Equal(0, t));
        var wide = Draw(new SamplingOptions { Temperature = 1, Seed = 5 }, logits, 400);
        Assert.True(wide.Distinct().Count() >= 6, "without truncation every token is drawn sometimes");
        var cold = Draw(new SamplingOptions { Temperature = 0.05f, Seed = 5 }, logits, 100);
        Assert.True(cold.Count(t => t == 0) > 80);
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens_and_another_seed_does_not()
    {
        float[] logits = [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f];
        var options = new SamplingOptions { Temperature = 1, Seed = 123 };
        Assert.Equal(Draw(options, logits, 50), Draw(options, logits, 50));
        Assert.NotEqual(Draw(options, logits, 50), Draw(options with { Seed = 124 }, logits, 50));
    }

    [Fact]
    public void Repetition_presence_and_frequency_penalties_change_the_logits_as_Hugging_Face_and_OpenAI_define_them()
    {
        float[] logits = [2f, -2f, 1f, 0.5f, 0, 0, 0, 0];
        var sampler = new TokenSampler(new SamplingOptions { RepetitionPenalty = 2f, PresencePenalty = 0.5f, FrequencyPenalty = 0.25f }, [0, 1]);
        sampler.Observe(2);
        sampler.Observe(2);
        var work = new float[8];

        sampler.ApplyPenalties(logits, work, [0, 1, 2, 2]);

        Assert.Equal(1f, work[0]); // prompt token, positive: divided
        Assert.Equal(-4f, work[1]); // prompt token, negative: multiplied
        Assert.Equal((1f / 2f) - 0.5f - (2 * 0.25f), work[2], 5); // generated twice: repetition, presence and frequency
        Assert.Equal(0.5f, work[3]);
    }

    [Fact]
    public void No_repeat_n_gram_size_bans_the_token_that_would_repeat_an_n_gram()
    {
        float[] logits = [0, 0, 0, 9f, 8f, 7f, 0, 0];
        // History 3 1 5 3: with n = 2 the bigram that started with the last token, 3, was "3 1", so 1 is banned.
        var work = new float[8];
        TokenSampler.BanRepeatedNGrams(work, [3, 1, 5, 3], 2);
        Assert.Equal(float.NegativeInfinity, work[1]);
        Assert.Equal(0f, work[5]);

        // History 3 3 4 3: "3 3" and "3 4" were seen, so 3 and 4 are banned and 5 wins.
        Assert.All(Draw(new SamplingOptions { NoRepeatNGramSize = 2 }, logits, 1, [3, 3, 4, 3]), t => Assert.Equal(5, t));
    }
}
