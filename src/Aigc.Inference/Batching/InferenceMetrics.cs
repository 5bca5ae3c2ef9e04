using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aigc.Inference;

/// <summary>The instruments of one served model, on the <c>Aigc.Inference</c> meter; every measurement is tagged with the model name only (no request ids).</summary>
internal sealed class InferenceMetrics : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _computeDuration;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<int> _batchSize;
    private readonly UpDownCounter<long> _pending;
    private readonly Counter<long> _inferences;
    private readonly Counter<long> _executions;
    private readonly KeyValuePair<string, object?> _model;

    public InferenceMetrics(IMeterFactory? meterFactory, string modelName)
    {
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownedMeter = new Meter(InferenceMetricNames.MeterName);
        }
        else
        {
            meter = meterFactory.Create(new MeterOptions(InferenceMetricNames.MeterName));
        }

        _model = new(InferenceMetricNames.ModelTag, modelName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _requests = meter.CreateCounter<long>(InferenceMetricNames.Requests, "{request}", "Requests finished, by outcome (success, rejected, timeout, canceled, error).");
        _queueDuration = meter.CreateHistogram(InferenceMetricNames.QueueDuration, "s", "Time from a request's arrival to the start of its batch.", tags: null, advice: seconds);
        _computeDuration = meter.CreateHistogram(InferenceMetricNames.ComputeDuration, "s", "Time of one model execution: copying inputs, running, copying outputs.", tags: null, advice: seconds);
        _requestDuration = meter.CreateHistogram(InferenceMetricNames.RequestDuration, "s", "Time from a request's arrival to its completion.", tags: null, advice: seconds);
        _batchSize = meter.CreateHistogram(InferenceMetricNames.BatchSize, "{row}", "Rows per model execution.", tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _pending = meter.CreateUpDownCounter<long>(InferenceMetricNames.PendingRequests, "{request}", "Requests waiting in the queue.");
        _inferences = meter.CreateCounter<long>(InferenceMetricNames.InferenceCount, "{row}", "Rows run; divided by the execution count it is the mean batch size.");
        _executions = meter.CreateCounter<long>(InferenceMetricNames.ExecutionCount, "{execution}", "Model executions.");
    }

    public void Request(string outcome, TimeSpan duration)
    {
        var tags = new TagList { _model, new(InferenceMetricNames.OutcomeTag, outcome) };
        _requests.Add(1, tags);
        if (duration > TimeSpan.Zero || outcome == InferenceMetricNames.Success)
        {
            _requestDuration.Record(duration.TotalSeconds, tags);
        }
    }

    public void Queued(int count) => _pending.Add(count, _model);

    public void Dequeued(int count) => _pending.Add(-count, _model);

    public void QueueTime(TimeSpan time) => _queueDuration.Record(time.TotalSeconds, _model);

    public void Execution(int rows, TimeSpan computeTime)
    {
        _executions.Add(1, _model);
        _inferences.Add(rows, _model);
        _batchSize.Record(rows, _model);
        _computeDuration.Record(computeTime.TotalSeconds, _model);
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
