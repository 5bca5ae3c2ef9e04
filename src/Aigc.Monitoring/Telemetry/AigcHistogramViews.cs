using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Aigc.Monitoring;

/// <summary>Chooses the explicit bucket boundaries of the Aigc histograms (see <see cref="AigcHistogramBuckets"/>).</summary>
internal static class AigcHistogramViews
{
    private static readonly ExplicitBucketHistogramConfiguration RequestDuration = Create(AigcHistogramBuckets.RequestDuration);
    private static readonly ExplicitBucketHistogramConfiguration TimeToFirstToken = Create(AigcHistogramBuckets.TimeToFirstToken);
    private static readonly ExplicitBucketHistogramConfiguration TimePerOutputToken = Create(AigcHistogramBuckets.TimePerOutputToken);
    private static readonly ExplicitBucketHistogramConfiguration TokenUsage = Create(AigcHistogramBuckets.TokenUsage);
    private static readonly ExplicitBucketHistogramConfiguration Seconds = Create(AigcHistogramBuckets.Seconds);

    public static MetricStreamConfiguration? Select(Instrument instrument)
    {
        if (!instrument.Meter.Name.StartsWith(AigcTelemetryNames.Prefix, StringComparison.Ordinal) || !IsHistogram(instrument))
        {
            return null;
        }

        switch (instrument.Name)
        {
            case AigcTelemetryNames.ServerRequestDuration:
            case AigcTelemetryNames.ClientOperationDuration:
                return RequestDuration;
            case AigcTelemetryNames.ServerTimeToFirstToken:
                return TimeToFirstToken;
            case AigcTelemetryNames.ServerTimePerOutputToken:
                return TimePerOutputToken;
            case AigcTelemetryNames.ClientTokenUsage:
                return TokenUsage;
            default:
                return instrument.Unit == AigcTelemetryNames.SecondsUnit && !HasBucketAdvice(instrument) ? Seconds : null;
        }
    }

    private static bool IsHistogram(Instrument instrument) =>
        instrument is Histogram<double> or Histogram<float> or Histogram<long> or Histogram<int> or Histogram<short> or Histogram<byte>;

    private static bool HasBucketAdvice(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries is not null,
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries is not null,
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries is not null,
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries is not null,
        _ => false,
    };

    // A new configuration per stream is not needed: the SDK copies the boundaries when it builds the stream.
    private static ExplicitBucketHistogramConfiguration Create(IReadOnlyList<double> boundaries) => new() { Boundaries = [.. boundaries] };
}
