using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aigc.Inference;

/// <summary>The engine's instruments on the <c>Aigc.Inference</c> meter (seconds, with GenAI bucket advice).</summary>
internal sealed class GenerationMetrics : IDisposable
{
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] FirstTokenBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
    private static readonly double[] OutputTokenBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Meter? _ownedMeter;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Histogram<double> _perToken;
    private readonly Histogram<long> _tokens;
    private readonly string _model;
    private readonly TimeProvider _time;

    public GenerationMetrics(IMeterFactory? meterFactory, TimeProvider time, string model, Func<int> running, Func<int> waiting, Func<double> cacheUsage, Func<long> cacheBytes)
    {
        _model = model;
        _time = time;
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownedMeter = new Meter(GenerationMetricNames.MeterName);
        }
        else
        {
            meter = meterFactory.Create(GenerationMetricNames.MeterName);
        }

        _duration = meter.CreateHistogram(GenerationMetricNames.RequestDuration, "s", "Time from a generation request's arrival to its last token.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstToken = meter.CreateHistogram(GenerationMetricNames.TimeToFirstToken, "s", "Time from a generation request's arrival to its first token.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        _perToken = meter.CreateHistogram(GenerationMetricNames.TimePerOutputToken, "s", "Mean time per output token after the first, per request.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OutputTokenBuckets });
        _tokens = meter.CreateHistogram(GenerationMetricNames.TokenUsage, "{token}", "Input and output tokens per request.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        var tags = new KeyValuePair<string, object?>[] { new(GenerationMetricNames.Provider, GenerationMetricNames.ProviderName), new(GenerationMetricNames.ResponseModel, model) };
        meter.CreateObservableGauge(GenerationMetricNames.RunningSequences, () => new Measurement<int>(running(), tags), "{sequence}", "Sequences decoding or prefilling.");
        meter.CreateObservableGauge(GenerationMetricNames.WaitingSequences, () => new Measurement<int>(waiting(), tags), "{sequence}", "Requests waiting for a place to run.");
        meter.CreateObservableGauge(GenerationMetricNames.KvCacheUsage, () => new Measurement<double>(cacheUsage(), tags), "1", "Fraction of the allocated KV cache holding cached positions.");
        meter.CreateObservableGauge(GenerationMetricNames.KvCacheBytes, () => new Measurement<long>(cacheBytes(), tags), "By", "Bytes allocated for the KV cache.");
    }

    public void RequestEnded(SequenceState sequence, long now, string? errorType)
    {
        var tags = new TagList
        {
            { GenerationMetricNames.OperationName, sequence.Request.OperationName },
            { GenerationMetricNames.Provider, GenerationMetricNames.ProviderName },
            { GenerationMetricNames.RequestModel, _model },
            { GenerationMetricNames.ResponseModel, _model },
        };
        if (errorType is not null)
        {
            tags.Add(GenerationMetricNames.ErrorType, errorType);
        }

        _duration.Record(_time.GetElapsedTime(sequence.EnqueuedAt, now).TotalSeconds, tags);
        var generated = sequence.Beam?.Generated ?? sequence.Generated;
        if (sequence.FirstTokenAt != 0 && generated > 1)
        {
            _perToken.Record(_time.GetElapsedTime(sequence.FirstTokenAt, now).TotalSeconds / (generated - 1), tags);
        }

        if (errorType is null)
        {
            var input = tags;
            input.Add(GenerationMetricNames.TokenType, GenerationMetricNames.InputTokenType);
            _tokens.Record(sequence.PromptLength, input);
            var output = tags;
            output.Add(GenerationMetricNames.TokenType, GenerationMetricNames.OutputTokenType);
            _tokens.Record(generated, output);
        }
    }

    public void FirstToken(SequenceState sequence, long now)
    {
        var tags = new TagList
        {
            { GenerationMetricNames.OperationName, sequence.Request.OperationName },
            { GenerationMetricNames.Provider, GenerationMetricNames.ProviderName },
            { GenerationMetricNames.RequestModel, _model },
            { GenerationMetricNames.ResponseModel, _model },
        };
        _firstToken.Record(_time.GetElapsedTime(sequence.EnqueuedAt, now).TotalSeconds, tags);
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
