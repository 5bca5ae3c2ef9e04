using System.Globalization;

namespace Aigc.Inference;

/// <summary>
/// How a request picks its tokens: greedy (<see cref="Temperature"/> 0) or sampling with temperature, top-k and
/// top-p; penalties; stops; a maximum length; a seed; log-probabilities; or beam search.
/// </summary>
/// <remarks>
/// Logit processing follows Hugging Face and OpenAI: the repetition penalty divides positive (multiplies negative)
/// logits of every token in the prompt or output; presence and frequency penalties subtract
/// <c>presence + frequency·count</c> from the logit of each token already generated; a no-repeat n-gram size bans
/// tokens that would repeat an n-gram; then temperature, top-k and top-p shape the distribution sampled from.
/// A seeded request draws from its own generator, one draw per token, so the same seed gives the same tokens
/// whatever else the engine runs at the same time.
/// </remarks>
public sealed record SamplingOptions
{
    /// <summary>Gets the default options: greedy, at most 256 new tokens.</summary>
    public static SamplingOptions Greedy { get; } = new();

    /// <summary>Gets the maximum number of new tokens (the model's context length also bounds them).</summary>
    /// <value>The default value is <c>256</c>.</value>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Gets the sampling temperature; <c>0</c> is greedy decoding (the most likely token every step).</summary>
    /// <value>The default value is <c>0</c> (greedy).</value>
    public float Temperature { get; init; }

    /// <summary>Gets how many of the most likely tokens are kept before sampling; <c>0</c> keeps all.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public int TopK { get; init; }

    /// <summary>Gets the nucleus: the smallest set of most likely tokens whose probability reaches it is kept; <c>1</c> keeps all.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public float TopP { get; init; } = 1f;

    /// <summary>Gets the repetition penalty (Hugging Face's, 1 for none; above 1 discourages repeats of prompt and output tokens).</summary>
    /// <value>The default value is <c>1</c>.</value>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Gets the presence penalty (OpenAI's, −2 to 2): subtracted once from the logit of every token already generated.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public float PresencePenalty { get; init; }

    /// <summary>Gets the frequency penalty (OpenAI's, −2 to 2): subtracted from a token's logit once per time it was generated.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public float FrequencyPenalty { get; init; }

    /// <summary>Gets the n-gram size that may not repeat in prompt and output (Hugging Face's <c>no_repeat_ngram_size</c>); <c>0</c> is off.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public int NoRepeatNGramSize { get; init; }

    /// <summary>Gets text that ends the output when generated (the stop text itself is not returned); applied by the text layer (TextGenerator).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Gets token ids that end the output besides the model's end-of-sequence token.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Gets the seed of the request's random generator, or <see langword="null"/> for a random seed.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public long? Seed { get; init; }

    /// <summary>Gets whether each token carries its log-probability.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool LogProbabilities { get; init; }

    /// <summary>Gets how many of the most likely alternatives each token carries (0 to 20); above 0 implies <see cref="LogProbabilities"/>.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public int TopLogProbabilities { get; init; }

    /// <summary>Gets beam search settings, or <see langword="null"/> to sample or decode greedily.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public BeamSearchOptions? BeamSearch { get; init; }

    internal bool IsGreedy => Temperature == 0f || TopK == 1;

    internal bool WantsLogProbabilities => LogProbabilities || TopLogProbabilities > 0;

    /// <summary>Checks the settings and throws one error listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message lists each one.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(MaxTokens >= 1, $"MaxTokens must be at least 1 (is {MaxTokens})");
        Check(float.IsFinite(Temperature) && Temperature >= 0, $"Temperature must be 0 (greedy) or more (is {Temperature.ToString(CultureInfo.InvariantCulture)})");
        Check(TopK >= 0, $"TopK must be 0 (off) or more (is {TopK})");
        Check(TopP is > 0 and <= 1, $"TopP must be in (0, 1] (is {TopP.ToString(CultureInfo.InvariantCulture)})");
        Check(float.IsFinite(RepetitionPenalty) && RepetitionPenalty > 0, $"RepetitionPenalty must be above 0 (is {RepetitionPenalty.ToString(CultureInfo.InvariantCulture)})");
        Check(PresencePenalty is >= -2 and <= 2, $"PresencePenalty must be in [-2, 2] (is {PresencePenalty.ToString(CultureInfo.InvariantCulture)})");
        Check(FrequencyPenalty is >= -2 and <= 2, $"FrequencyPenalty must be in [-2, 2] (is {FrequencyPenalty.ToString(CultureInfo.InvariantCulture)})");
        Check(NoRepeatNGramSize >= 0, $"NoRepeatNGramSize must be 0 (off) or more (is {NoRepeatNGramSize})");
        Check(TopLogProbabilities is >= 0 and <= 20, $"TopLogProbabilities must be in [0, 20] (is {TopLogProbabilities})");
        Check(StopSequences is not null && !StopSequences.Any(string.IsNullOrEmpty), "StopSequences may not be null or hold empty strings");
        Check(StopTokenIds is not null, "StopTokenIds may not be null");
        if (BeamSearch is { } beam)
        {
            Check(beam.BeamWidth is >= 2 and <= 64, $"BeamSearch.BeamWidth must be in [2, 64] (is {beam.BeamWidth})");
            Check(double.IsFinite(beam.LengthPenalty), "BeamSearch.LengthPenalty must be a finite number");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid sampling options: " + string.Join("; ", problems) + ".", "options");
        }
    }
}
