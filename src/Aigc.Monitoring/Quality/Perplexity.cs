namespace Aigc.Monitoring;

/// <summary>
/// Perplexity from token log-probabilities: PPL = exp(−(1/N) · Σᵢ ln p(tᵢ | t₍&lt;ᵢ₎)), the exponential of the mean
/// negative log-likelihood per token (natural logarithms, as returned by OpenAI-style <c>logprobs</c> and by
/// log-softmax). Lower is better; a model that spreads its probability uniformly over V tokens has perplexity V.
/// </summary>
/// <remarks>
/// Over several sequences the corpus perplexity weights every token equally (the log-probabilities of all
/// sequences are pooled), which is what <see cref="FromLogProbabilities(IEnumerable{IReadOnlyList{double}})"/>
/// computes; it is not the mean of the per-sequence perplexities.
/// </remarks>
public static class Perplexity
{
    /// <summary>Computes the perplexity of one sequence.</summary>
    /// <param name="logProbabilities">The natural log-probability of each token, each ≤ 0.</param>
    /// <returns>The perplexity, ≥ 1 (positive infinity when a token had probability 0).</returns>
    /// <exception cref="ArgumentException">The span is empty, or a value is NaN or above 0.</exception>
    public static double FromLogProbabilities(ReadOnlySpan<double> logProbabilities)
    {
        if (logProbabilities.IsEmpty)
        {
            throw new ArgumentException("Perplexity needs the log-probability of at least one token.", nameof(logProbabilities));
        }

        var sum = 0.0;
        foreach (var value in logProbabilities)
        {
            sum += Check(value, nameof(logProbabilities));
        }

        return Math.Exp(-sum / logProbabilities.Length);
    }

    /// <summary>Computes the perplexity of one sequence of single-precision log-probabilities (summed in double precision).</summary>
    /// <param name="logProbabilities">The natural log-probability of each token, each ≤ 0.</param>
    /// <returns>The perplexity, ≥ 1 (positive infinity when a token had probability 0).</returns>
    /// <exception cref="ArgumentException">The span is empty, or a value is NaN or above 0.</exception>
    public static double FromLogProbabilities(ReadOnlySpan<float> logProbabilities)
    {
        if (logProbabilities.IsEmpty)
        {
            throw new ArgumentException("Perplexity needs the log-probability of at least one token.", nameof(logProbabilities));
        }

        var sum = 0.0;
        foreach (var value in logProbabilities)
        {
            sum += Check(value, nameof(logProbabilities));
        }

        return Math.Exp(-sum / logProbabilities.Length);
    }

    /// <summary>Computes the corpus perplexity of several sequences, every token weighted equally.</summary>
    /// <param name="sequences">The log-probabilities of each sequence's tokens.</param>
    /// <returns>The perplexity, ≥ 1 (positive infinity when a token had probability 0).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no token at all, or a value is NaN or above 0.</exception>
    public static double FromLogProbabilities(IEnumerable<IReadOnlyList<double>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var sum = 0.0;
        long count = 0;
        foreach (var sequence in sequences)
        {
            ArgumentNullException.ThrowIfNull(sequence, nameof(sequences));
            foreach (var value in sequence)
            {
                sum += Check(value, nameof(sequences));
                count++;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("Perplexity needs the log-probability of at least one token.", nameof(sequences));
        }

        return Math.Exp(-sum / count);
    }

    /// <summary>Converts a mean negative log-likelihood per token (a cross-entropy loss in nats) to perplexity.</summary>
    /// <param name="meanNegativeLogLikelihood">The mean loss, ≥ 0.</param>
    /// <returns><c>exp(meanNegativeLogLikelihood)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or NaN.</exception>
    public static double FromMeanNegativeLogLikelihood(double meanNegativeLogLikelihood)
    {
        if (!(meanNegativeLogLikelihood >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(meanNegativeLogLikelihood), meanNegativeLogLikelihood, "A mean negative log-likelihood is zero or positive.");
        }

        return Math.Exp(meanNegativeLogLikelihood);
    }

    private static double Check(double value, string parameterName)
    {
        if (double.IsNaN(value) || value > 0)
        {
            throw new ArgumentException($"A log-probability must be a number ≤ 0; got {value}. Pass natural logarithms of probabilities, not probabilities or logits.", parameterName);
        }

        return value;
    }
}
