namespace Aigc.Inference;

// Completing requests (in order when asked), and shutting down.
public sealed partial class BatchedModel
{
    /// <summary>Completes a batch's requests now, or in formation order when ordering is preserved.</summary>
    private void Complete(Batch batch)
    {
        if (!_options.PreserveOrdering)
        {
            Release(batch);
            return;
        }

        Batch? ready;
        lock (_orderGate)
        {
            batch.Done = true;
            if (_releasing)
            {
                return;
            }

            ready = TakeReadyLocked();
            _releasing = ready is not null;
        }

        while (ready is not null)
        {
            while (ready is not null)
            {
                var next = ready.NextInOrder;
                Release(ready);
                ready = next;
            }

            lock (_orderGate)
            {
                ready = TakeReadyLocked();
                if (ready is null)
                {
                    _releasing = false;
                }
            }
        }
    }

    private Batch? TakeReadyLocked()
    {
        Batch? head = null;
        Batch? tail = null;
        while (_orderHead is { Done: true } done)
        {
            _orderHead = done.NextInOrder;
            if (_orderHead is null)
            {
                _orderTail = null;
            }

            done.NextInOrder = null;
            if (tail is null)
            {
                head = done;
            }
            else
            {
                tail.NextInOrder = done;
            }

            tail = done;
        }

        return head;
    }

    private void Release(Batch batch)
    {
        for (var k = 0; k < batch.Count; k++)
        {
            var request = batch.Requests[k];
            if (batch.Results[k] is { } result)
            {
                Finish(request, result, null, InferenceMetricNames.Success);
            }
            else
            {
                var error = batch.Errors[k] ?? new OperationCanceledException(request.CancellationToken);
                Finish(request, null, error, request.CancelRequested ? InferenceMetricNames.Canceled : InferenceMetricNames.Error);
            }
        }

        batch.Clear();
        lock (_gate)
        {
            _batchPool.Push(batch);
        }
    }

    /// <summary>Completes a request; the caller's continuation runs on the thread pool. The request returns to the pool when read.</summary>
    private void Finish(PendingRequest request, InferenceResult? result, Exception? error, string outcome)
    {
        request.Registration.Dispose();
        if (request.CancelRequested && outcome != InferenceMetricNames.Canceled)
        {
            result = null;
            error = new OperationCanceledException(request.CancellationToken);
            outcome = InferenceMetricNames.Canceled;
        }
        else if (error is OperationCanceledException || (error is not null && request.CancelRequested))
        {
            error = error as OperationCanceledException
                ?? new OperationCanceledException("The request was canceled while its batch ran; the run was stopped.", error, request.CancellationToken);
            outcome = InferenceMetricNames.Canceled;
        }

        _metrics.Request(outcome, _time.GetElapsedTime(request.EnqueuedAt));
        BatchTracing.EndRequest(request, error, outcome);
        if (error is null)
        {
            request.SetResult(result!);
        }
        else
        {
            request.SetException(error);
        }
    }

    private bool BeginClose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _closing = true;
            Monitor.PulseAll(_gate);
        }

        BatcherLog.Stopping(_logger, Name);
        return true;
    }

    private void Release()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        foreach (var executor in _executors)
        {
            executor.Dispose();
        }

        _metrics.Dispose();
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }
}
