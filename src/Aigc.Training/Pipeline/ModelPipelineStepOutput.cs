namespace Aigc.Training;

/// <summary>What a pipeline step produced: named values (paths, versions, decisions) and metrics.</summary>
public sealed record ModelPipelineStepOutput
{
    /// <summary>Gets the named values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the metrics.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets a value that the step must have produced.</summary>
    /// <param name="key">The value's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The output has no value <paramref name="key"/>.</exception>
    public string GetValue(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Values.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"The step output has no value '{key}'; it has: {string.Join(", ", Values.Keys)}.");
    }

    /// <summary>Gets a metric that the step must have produced.</summary>
    /// <param name="key">The metric's name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="InvalidOperationException">The output has no metric <paramref name="key"/>.</exception>
    public double GetMetric(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Metrics.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"The step output has no metric '{key}'; it has: {string.Join(", ", Metrics.Keys)}.");
    }
}
