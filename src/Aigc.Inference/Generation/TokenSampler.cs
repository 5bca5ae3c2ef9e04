namespace Aigc.Inference;

/// <summary>
/// Picks one request's tokens from its logits: penalties, no-repeat n-grams, then greedy or seeded sampling with
/// temperature, top-k and top-p; and the log-probabilities the request asked for.
/// </summary>
internal sealed class TokenSampler
{
    /// <summary>Top-p first looks for its nucleus among this many most likely tokens before sorting the whole vocabulary.</summary>
    private const int NucleusProbe = 64;

    private readonly SamplingOptions _options;
    private readonly Random _random;
    private readonly Dictionary<int, int> _generated = [];
    private readonly HashSet<int> _seen = [];

    public TokenSampler(SamplingOptions options, IReadOnlyList<int> prompt)
    {
        _options = options;
        var seed = options.Seed ?? Random.Shared.NextInt64();
        _random = new Random(unchecked((int)(seed ^ (seed >>> 32))));
        if (options.RepetitionPenalty != 1f)
        {
            foreach (var token in prompt)
            {
                _seen.Add(token);
            }
        }
    }

    /// <summary>Records a generated token for the penalties.</summary>
    public void Observe(int token)
    {
        if (_options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f)
        {
            _generated[token] = _generated.GetValueOrDefault(token) + 1;
        }

        if (_options.RepetitionPenalty != 1f)
        {
            _seen.Add(token);
        }
    }

    /// <summary>Picks the next token.</summary>
    /// <param name="logits">The row's logits over the vocabulary.</param>
    /// <param name="history">Prompt and generated tokens so far (for no-repeat n-grams).</param>
    /// <param name="scratch">The engine's work buffers.</param>
    public GeneratedToken Next(ReadOnlySpan<float> logits, List<int> history, SamplerScratch scratch)
    {
        if (_options.IsGreedy && !HasPenalties)
        {
            // The common case: no copy, one vectorised pass over the vocabulary.
            return WithLogProbabilities(Math.Max(ArgMax(logits), 0), logits, scratch);
        }

        var work = scratch.Values.AsSpan(0, logits.Length);
        ApplyPenalties(logits, work, history);
        var token = _options.IsGreedy ? ArgMax(work) : Sample(work, scratch);
        if (token < 0)
        {
            token = ArgMax(logits); // every token was banned: fall back to the model's choice
        }

        return WithLogProbabilities(token, logits, scratch);
    }

    private bool HasPenalties =>
        _options.RepetitionPenalty != 1f || _options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f || _options.NoRepeatNGramSize > 0;

    /// <summary>Writes the penalised logits into <paramref name="work"/> (also used by beam search).</summary>
    public void ApplyPenalties(ReadOnlySpan<float> logits, Span<float> work, List<int> history)
    {
        logits.CopyTo(work);
        var repetition = _options.RepetitionPenalty;
        if (repetition != 1f)
        {
            foreach (var token in _seen)
            {
                var value = work[token];
                work[token] = value > 0 ? value / repetition : value * repetition;
            }
        }

        if (_options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f)
        {
            foreach (var (token, count) in _generated)
            {
                work[token] -= _options.PresencePenalty + (_options.FrequencyPenalty * count);
            }
        }

        BanRepeatedNGrams(work, history, _options.NoRepeatNGramSize);
    }

    /// <summary>Bans every token that would complete an n-gram already present in <paramref name="history"/>.</summary>
    internal static void BanRepeatedNGrams(Span<float> work, List<int> history, int n)
    {
        if (n <= 0 || history.Count + 1 < n)
        {
            return;
        }

        var tokens = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history);
        var prefix = tokens[(tokens.Length - n + 1)..];
        for (var start = 0; start + n <= tokens.Length; start++)
        {
            if (tokens.Slice(start, n - 1).SequenceEqual(prefix))
            {
                work[tokens[start + n - 1]] = float.NegativeInfinity;
            }
        }
    }

    /// <summary>Returns the index of the first largest value, or -1 when every value is negative infinity (all banned).</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = LogitMath.IndexOfMax(values);
        return best < 0 || float.IsNegativeInfinity(values[best]) ? -1 : best;
    }

    private int Sample(Span<float> work, SamplerScratch scratch)
    {
        // Unnormalised probabilities in place; the candidates are either all tokens in index order or the top ones, best first.
        var total = LogitMath.ScaledSoftmaxNumerators(work, 1f / _options.Temperature);
        if (double.IsNaN(total))
        {
            return -1;
        }

        var topK = _options.TopK > 0 && _options.TopK < work.Length ? _options.TopK : 0;
        var topP = _options.TopP;
        Span<int> candidates;
        if (topK == 0 && topP >= 1f)
        {
            return Draw(work, total);
        }

        if (topK > 0)
        {
            candidates = topK <= scratch.Top.Length ? scratch.Top.AsSpan(0, topK) : scratch.Indices.AsSpan(0, topK);
            TopTokens.Select(work, topK, candidates);
            total = 0;
            foreach (var index in candidates)
            {
                total += work[index];
            }
        }
        else
        {
            candidates = scratch.Top.AsSpan(0, TopTokens.Select(work, NucleusProbe, scratch.Top));
            var mass = 0.0;
            foreach (var index in candidates)
            {
                mass += work[index];
            }

            if (mass < topP * total)
            {
                candidates = SortAll(work, scratch);
            }
        }

        if (topP < 1f)
        {
            var kept = 0;
            var cumulative = 0.0;
            while (kept < candidates.Length)
            {
                cumulative += work[candidates[kept++]];
                if (cumulative >= topP * total)
                {
                    break;
                }
            }

            candidates = candidates[..kept];
            total = cumulative;
        }

        var u = _random.NextDouble() * total;
        var sum = 0.0;
        foreach (var index in candidates)
        {
            sum += work[index];
            if (u < sum)
            {
                return index;
            }
        }

        return candidates[^1];
    }

    private int Draw(Span<float> probabilities, double total)
    {
        var u = _random.NextDouble() * total;
        var sum = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] > 0)
            {
                sum += probabilities[i];
                last = i;
                if (u < sum)
                {
                    return i;
                }
            }
        }

        return last;
    }

    private static Span<int> SortAll(Span<float> probabilities, SamplerScratch scratch)
    {
        var keys = scratch.Keys.AsSpan(0, probabilities.Length);
        var indices = scratch.Indices.AsSpan(0, probabilities.Length);
        for (var i = 0; i < probabilities.Length; i++)
        {
            keys[i] = -probabilities[i];
            indices[i] = i;
        }

        keys.Sort(indices);
        return indices;
    }

    private GeneratedToken WithLogProbabilities(int token, ReadOnlySpan<float> logits, SamplerScratch scratch)
    {
        if (!_options.WantsLogProbabilities)
        {
            return new GeneratedToken(token, float.NaN, null, null);
        }

        var logSumExp = LogitMath.LogSumExp(logits, scratch.Keys);
        TokenLogProbability[]? top = null;
        if (_options.TopLogProbabilities > 0)
        {
            var indices = scratch.Top.AsSpan(0, TopTokens.Select(logits, _options.TopLogProbabilities, scratch.Top));
            top = new TokenLogProbability[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                top[i] = new TokenLogProbability(indices[i], (float)(logits[indices[i]] - logSumExp));
            }
        }

        return new GeneratedToken(token, (float)(logits[token] - logSumExp), top, null);
    }
}
