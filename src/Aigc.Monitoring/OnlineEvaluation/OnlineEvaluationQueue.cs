using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring;

/// <summary>The bounded queue behind <see cref="IOnlineEvaluationSink"/>, and the online-evaluation instruments.</summary>
internal sealed class OnlineEvaluationQueue : IOnlineEvaluationSink, IDisposable
{
    private readonly IOptionsMonitor<MonitoringOptions> _options;
    private readonly Channel<OnlineEvaluationItem> _channel;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _dropped;
    private volatile bool _completed;

    public OnlineEvaluationQueue(IOptionsMonitor<MonitoringOptions> options, IMeterFactory? meterFactory = null)
    {
        _options = options;
        Capacity = options.CurrentValue.EvaluationQueueCapacity;
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, "MonitoringOptions.EvaluationQueueCapacity");
        _channel = Channel.CreateBounded<OnlineEvaluationItem>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of waiting: the caller never blocks.
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _meter = DriftTelemetry.CreateMeter(meterFactory);
        _ownsMeter = meterFactory is null;
        _dropped = _meter.CreateCounter<long>(OnlineEvaluationTelemetry.Dropped, "{response}", "Sampled responses not evaluated: the queue was full or evaluation had stopped.");
        Scores = _meter.CreateHistogram(OnlineEvaluationTelemetry.Score, "1", "Scores the online evaluators gave to sampled live responses.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AigcHistogramBuckets.Score });
        Errors = _meter.CreateCounter<long>(OnlineEvaluationTelemetry.Errors, "{evaluation}", "Online evaluations that threw.");
        Failures = _meter.CreateCounter<long>(OnlineEvaluationTelemetry.Failures, "{evaluation}", "Online evaluations that could not score the response.");
        _meter.CreateObservableGauge(OnlineEvaluationTelemetry.QueueSize, () => Count, "{response}", "Sampled responses waiting for evaluation.");
    }

    public int Capacity { get; }

    public int Count => _channel.Reader.Count;

    public ChannelReader<OnlineEvaluationItem> Reader => _channel.Reader;

    public Histogram<double> Scores { get; }

    public Counter<long> Errors { get; }

    public Counter<long> Failures { get; }

    public bool ShouldSample(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return RequestSampler.IsSampled(requestId, _options.CurrentValue.EvaluationSampleRate);
    }

    public bool TryEnqueue(EvaluationInput input, OnlineEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context.RequestId, nameof(context));
        ArgumentNullException.ThrowIfNull(context.ModelName, nameof(context));
        if (!ShouldSample(context.RequestId))
        {
            return false;
        }

        var item = new OnlineEvaluationItem(input, context.ModelName, context.ModelVersion ?? string.Empty);
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        RecordDropped(item, _completed ? OnlineEvaluationTelemetry.StoppedReason : OnlineEvaluationTelemetry.QueueFullReason);
        return false;
    }

    public void RecordDropped(in OnlineEvaluationItem item, string reason) =>
        _dropped.Add(1, new TagList
        {
            { OnlineEvaluationTelemetry.ModelNameTag, item.ModelName },
            { OnlineEvaluationTelemetry.ModelVersionTag, item.ModelVersion },
            { OnlineEvaluationTelemetry.DropReasonTag, reason },
        });

    /// <summary>Refuses further responses: the reader drains what is queued, then ends.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }

    public void Dispose()
    {
        Complete();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
