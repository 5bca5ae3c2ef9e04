namespace Aigc.Monitoring;

/// <summary>
/// The explicit bucket boundaries <c>AddAigcInstrumentation</c> gives the Aigc histograms. Without them
/// OpenTelemetry .NET would apply its millisecond-scaled default buckets (0, 5, 10, 25, … 10000) to histograms
/// recorded in seconds, and nearly every request would land in the first bucket.
/// </summary>
public static class AigcHistogramBuckets
{
    /// <summary>Gets the boundaries (s) of request and operation durations (the GenAI conventions' advice).</summary>
    public static IReadOnlyList<double> RequestDuration { get; } = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>Gets the boundaries (s) of the time to the first token (the GenAI conventions' advice).</summary>
    public static IReadOnlyList<double> TimeToFirstToken { get; } = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    /// <summary>Gets the boundaries (s) of the time per output token: the GenAI conventions' advice with finer buckets below 10 ms for small local models.</summary>
    public static IReadOnlyList<double> TimePerOutputToken { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];

    /// <summary>Gets the boundaries (<c>{token}</c>) of token counts: powers of four from 1 to 4<sup>13</sup> (the GenAI conventions' advice).</summary>
    public static IReadOnlyList<double> TokenUsage { get; } = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    /// <summary>Gets the boundaries (s) of any other Aigc histogram in seconds that brings no bucket advice of its own.</summary>
    public static IReadOnlyList<double> Seconds { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300];

    /// <summary>Gets the boundaries of evaluation scores: tenths on [0, 1] (BLEU-like fractions, ROUGE, exact match), then whole points to 10 (judge scales) and up to 100 (sacreBLEU, chrF).</summary>
    public static IReadOnlyList<double> Score { get; } = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
}
