using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aigc.Inference;

/// <summary>The diffusion pipeline's instruments on the <c>Aigc.Inference</c> meter (seconds, with bucket advice).</summary>
internal sealed class DiffusionMetrics : IDisposable
{
    private static readonly double[] StepBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] RequestBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84];
    private static readonly int[] RowBuckets = [1, 2, 4, 8, 16, 32, 64, 128];

    private readonly Meter? _ownedMeter;
    private readonly Histogram<double> _step;
    private readonly Histogram<int> _rows;
    private readonly Histogram<double> _queue;
    private readonly Histogram<double> _request;
    private readonly Counter<long> _images;
    private readonly KeyValuePair<string, object?>[] _tags;

    public DiffusionMetrics(IMeterFactory? meterFactory, string model, Func<int> running, Func<int> waiting)
    {
        var meter = meterFactory is null ? _ownedMeter = new Meter(GenerationMetricNames.MeterName) : meterFactory.Create(GenerationMetricNames.MeterName);
        _tags = [new(GenerationMetricNames.Provider, GenerationMetricNames.ProviderName), new(GenerationMetricNames.ResponseModel, model)];
        _step = meter.CreateHistogram(DiffusionMetricNames.StepDuration, "s", "Time of one denoising step (one UNet call).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StepBuckets });
        _rows = meter.CreateHistogram(DiffusionMetricNames.BatchRows, "{row}", "UNet rows of one denoising step.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = RowBuckets });
        _queue = meter.CreateHistogram(DiffusionMetricNames.QueueDuration, "s", "Time from an image request's arrival to its first denoising step.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _request = meter.CreateHistogram(DiffusionMetricNames.RequestDuration, "s", "Time from an image request's arrival to its images.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _images = meter.CreateCounter<long>(DiffusionMetricNames.Images, "{image}", "Images generated.");
        var tags = _tags;
        meter.CreateObservableGauge(DiffusionMetricNames.RunningRequests, () => new Measurement<int>(running(), tags), "{request}", "Image requests denoising.");
        meter.CreateObservableGauge(DiffusionMetricNames.WaitingRequests, () => new Measurement<int>(waiting(), tags), "{request}", "Image requests waiting for room in the batch.");
    }

    public void Step(TimeSpan duration, int rows)
    {
        var tags = new TagList(_tags);
        _step.Record(duration.TotalSeconds, tags);
        _rows.Record(rows, tags);
    }

    public void QueueTime(TimeSpan duration) => _queue.Record(duration.TotalSeconds, new TagList(_tags));

    public void RequestEnded(TimeSpan duration, int images, string? errorType)
    {
        var tags = new TagList(_tags);
        if (errorType is not null)
        {
            tags.Add(GenerationMetricNames.ErrorType, errorType);
        }

        _request.Record(duration.TotalSeconds, tags);
        if (errorType is null)
        {
            _images.Add(images, new TagList(_tags));
        }
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
