using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Monitoring;

/// <summary>
/// The background service that drains the online-evaluation queue: each response goes through every registered
/// <see cref="IEvaluator"/> in turn; scores become <see cref="OnlineEvaluationTelemetry.Score"/> measurements and
/// <see cref="DriftMonitor"/> quality signals (<c>quality.&lt;evaluator&gt;.&lt;metric&gt;</c>). On stop it refuses new
/// responses and drains the queue until the host's shutdown timeout, then cancels the evaluation in flight and
/// counts what is left as dropped.
/// </summary>
internal sealed class OnlineEvaluationService : IHostedService, IDisposable
{
    private readonly OnlineEvaluationQueue _queue;
    private readonly IEvaluator[] _evaluators;
    private readonly ILogger _logger;
    private readonly DriftMonitor? _drift;
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;

    public OnlineEvaluationService(OnlineEvaluationQueue queue, IEnumerable<IEvaluator> evaluators, ILogger<OnlineEvaluationService>? logger = null, DriftMonitor? drift = null)
    {
        _queue = queue;
        _evaluators = [.. evaluators];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _drift = drift;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_evaluators.Length == 0)
        {
            OnlineEvaluationLog.NoEvaluators(_logger);
        }

        _loop ??= Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        if (_loop is null)
        {
            return;
        }

        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
        {
            await Task.WhenAny(_loop, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _queue.Complete();
        _abort.Cancel();
        if (_loop is null || _loop.IsCompleted)
        {
            _abort.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken abort)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (!await EvaluateAsync(item, abort).ConfigureAwait(false))
                    {
                        _queue.RecordDropped(item, OnlineEvaluationTelemetry.StoppedReason);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopping: what is left is counted below.
        }

        var left = 0;
        while (reader.TryRead(out var item))
        {
            _queue.RecordDropped(item, OnlineEvaluationTelemetry.StoppedReason);
            left++;
        }

        if (left > 0)
        {
            OnlineEvaluationLog.DroppedAtShutdown(_logger, left);
        }
    }

    /// <summary>Runs every evaluator on one response; <see langword="false"/> when stopping cancelled it.</summary>
    private async ValueTask<bool> EvaluateAsync(OnlineEvaluationItem item, CancellationToken abort)
    {
        foreach (var evaluator in _evaluators)
        {
            if (abort.IsCancellationRequested)
            {
                return false;
            }

            EvaluationResult result;
            try
            {
                result = await evaluator.EvaluateAsync(item.Input, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return false;
            }
#pragma warning disable CA1031 // An evaluator's failure is logged and counted; it must not stop the others or the service.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                OnlineEvaluationLog.EvaluatorThrew(_logger, evaluator.Name, item.ModelName, exception);
                var tags = ModelTags(item, evaluator.Name);
                tags.Add(OnlineEvaluationTelemetry.ErrorTypeTag, exception.GetType().FullName);
                _queue.Errors.Add(1, tags);
                continue;
            }

            Record(item, evaluator, result);
        }

        return true;
    }

    private void Record(in OnlineEvaluationItem item, IEvaluator evaluator, EvaluationResult? result)
    {
        var name = evaluator.Name;
        try
        {
            if (result is null || !result.Succeeded)
            {
                OnlineEvaluationLog.EvaluationFailed(_logger, name, item.ModelName, result?.Error ?? "the evaluator returned no result");
                _queue.Failures.Add(1, ModelTags(item, name));
                return;
            }

            foreach (var (metric, value) in result.Scores)
            {
                if (!double.IsFinite(value))
                {
                    continue;
                }

                var tags = ModelTags(item, name);
                tags.Add(OnlineEvaluationTelemetry.MetricTag, metric);
                _queue.Scores.Record(value, tags);
                _drift?.RecordQualityScore(name + "." + metric, value);
            }
        }
#pragma warning disable CA1031 // A drift handler or listener that throws must not stop the service; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            OnlineEvaluationLog.RecordingFailed(_logger, name, exception);
        }
    }

    private static TagList ModelTags(in OnlineEvaluationItem item, string evaluator) => new()
    {
        { OnlineEvaluationTelemetry.ModelNameTag, item.ModelName },
        { OnlineEvaluationTelemetry.ModelVersionTag, item.ModelVersion },
        { OnlineEvaluationTelemetry.EvaluatorTag, evaluator },
    };
}
