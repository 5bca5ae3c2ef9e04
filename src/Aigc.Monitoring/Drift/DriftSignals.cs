namespace Aigc.Monitoring;

/// <summary>The names of the signals <see cref="DriftMonitor"/> records for model exchanges.</summary>
public static class DriftSignals
{
    /// <summary>The prompt length (in whatever unit the caller records, usually tokens).</summary>
    public const string PromptLength = "prompt_length";

    /// <summary>The response length (usually tokens).</summary>
    public const string ResponseLength = "response_length";

    /// <summary>The prefix of quality-score signals: <c>quality.&lt;score name&gt;</c>.</summary>
    public const string QualityPrefix = "quality.";

    /// <summary>Returns the signal name of a quality score.</summary>
    /// <param name="scoreName">The score's name, for example <c>judge_score</c>.</param>
    /// <returns><c>quality.&lt;scoreName&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="scoreName"/> is null or empty.</exception>
    public static string Quality(string scoreName)
    {
        ArgumentException.ThrowIfNullOrEmpty(scoreName);
        return QualityPrefix + scoreName;
    }
}
