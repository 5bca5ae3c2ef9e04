namespace Aigc.Inference;

// Batch formation and the executors' loop: when a batch is due, timeouts, cancellation.
public sealed partial class BatchedModel
{
    /// <summary>The loop of one executor thread: take a batch (waiting as the options say), run it, release it; exit when closing and the queue is empty.</summary>
    internal void ExecutorLoop(BatchExecutor executor)
    {
        try
        {
            while (true)
            {
                Batch? batch;
                lock (_gate)
                {
                    while (true)
                    {
                        var now = _time.GetTimestamp();
                        batch = TryFormBatchLocked(now, executor, out var wakeAt);
                        if (batch is not null)
                        {
                            break;
                        }

                        if (_closing && _queue.Count == 0)
                        {
                            return;
                        }

                        if (wakeAt != long.MaxValue)
                        {
                            ScheduleWakeLocked(wakeAt, now);
                        }

                        _idleExecutors++;
                        Monitor.Wait(_gate);
                        _idleExecutors--;
                    }

                    if (_queue.Count > 0 && _idleExecutors > 0)
                    {
                        Monitor.Pulse(_gate);
                    }
                }

                _metrics.Dequeued(batch.Count);
                var span = _tracing.StartBatch(batch);
                executor.Execute(batch);
                BatchTracing.EndBatch(span, batch);
                Complete(batch);
            }
        }
        catch (Exception exception)
        {
            BatcherLog.ExecutorFailed(_logger, Name, exception);
            throw;
        }
        finally
        {
            if (Interlocked.Decrement(ref _liveExecutors) == 0)
            {
                _stopped.TrySetResult();
            }
        }
    }

    /// <summary>Marks the batch as running unless every caller already canceled; returns whether to run it.</summary>
    internal bool StartRunning(Batch batch)
    {
        lock (_gate)
        {
            if (batch.CanceledCount < batch.Count)
            {
                return true;
            }

            batch.Running = false;
            return false;
        }
    }

    internal void StopRunning(Batch batch)
    {
        lock (_gate)
        {
            batch.Running = false;
        }
    }

    internal void RecordExecution(Batch batch, bool executed, TimeSpan computeTime)
    {
        for (var k = 0; k < batch.Count; k++)
        {
            _metrics.QueueTime(_time.GetElapsedTime(batch.Requests[k].EnqueuedAt, batch.FormedAt));
        }

        if (executed)
        {
            _metrics.Execution(batch.Rows, computeTime);
        }
    }

    /// <summary>
    /// Forms a batch from the queue when one is due: a full batch (or one that the next request would overflow),
    /// the largest preferred size that can be formed, or whatever is queued once the oldest request has waited the
    /// maximum queue delay (or when closing). Otherwise returns null and the time to look again.
    /// </summary>
    private Batch? TryFormBatchLocked(long now, BatchExecutor executor, out long wakeAt)
    {
        wakeAt = long.MaxValue;
        if (_queue.Count == 0)
        {
            return null;
        }

        var max = _options.MaxBatchSize;
        var rows = 0;
        var count = 0;
        var preferredCount = 0;
        var full = false;
        PendingRequest? first = null;
        for (var level = 0; level < _queue.Levels && !full; level++)
        {
            for (var node = _queue.Head(level); node is not null; node = node.Next)
            {
                if (rows + node.Rows > max || (first is not null && _layout.HasMatchedDimensions && !_layout.Compatible(first, node)))
                {
                    full = true;
                    break;
                }

                first ??= node;
                rows += node.Rows;
                count++;
                if (_preferred[rows])
                {
                    preferredCount = count;
                }

                if (rows == max)
                {
                    full = true;
                    break;
                }
            }
        }

        int take;
        if (full || _closing)
        {
            take = count;
        }
        else if (preferredCount > 0)
        {
            take = preferredCount;
        }
        else
        {
            var due = _queue.OldestArrival() + _delayTicks;
            if (now < due)
            {
                wakeAt = due;
                return null;
            }

            take = count;
        }

        var batch = RentBatchLocked();
        batch.FormedAt = now;
        batch.RunOptions = executor.RunOptions;
        batch.Running = true;
        var level2 = 0;
        for (var k = 0; k < take; k++)
        {
            while (_queue.Head(level2) is null)
            {
                level2++;
            }

            var request = _queue.Head(level2)!;
            _queue.Remove(request);
            request.State = PendingRequest.Running;
            request.Batch = batch;
            batch.Requests[k] = request;
            batch.Rows += request.Rows;
            batch.SequenceLength = Math.Max(batch.SequenceLength, request.SequenceLength);
        }

        batch.Count = take;
        if (_options.PreserveOrdering)
        {
            lock (_orderGate)
            {
                if (_orderTail is null)
                {
                    _orderHead = batch;
                }
                else
                {
                    _orderTail.NextInOrder = batch;
                }

                _orderTail = batch;
            }
        }

        return batch;
    }

    /// <summary>Sets the timer for <paramref name="at"/> unless it is already set earlier. Only future times are scheduled.</summary>
    private void ScheduleWakeLocked(long at, long now)
    {
        if (at >= _scheduledWake || at == long.MaxValue || _disposed)
        {
            return;
        }

        _scheduledWake = at;
        var ticks = Math.Max(1, at - now);
        var due = TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
        _timer.Change(due < TimeSpan.FromTicks(1) ? TimeSpan.FromTicks(1) : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer fired: reject requests whose timeout passed while queued, and wake idle executors to look at the queue delay again.</summary>
    private void OnTimer()
    {
        List<PendingRequest>? expired = null;
        lock (_gate)
        {
            _scheduledWake = long.MaxValue;
            var now = _time.GetTimestamp();
            if (_earliestDeadline <= now)
            {
                for (var level = 0; level < _queue.Levels; level++)
                {
                    var node = _queue.Head(level);
                    while (node is not null)
                    {
                        var next = node.Next;
                        if (node.Deadline <= now)
                        {
                            _queue.Remove(node);
                            node.State = PendingRequest.Completed;
                            (expired ??= []).Add(node);
                        }

                        node = next;
                    }
                }

                _earliestDeadline = _queue.EarliestDeadline();
            }

            ScheduleWakeLocked(_earliestDeadline, now);
            if (_idleExecutors > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }

        if (expired is not null)
        {
            _metrics.Dequeued(expired.Count);
            foreach (var request in expired)
            {
                Finish(request, null, Reject(InferenceRejectionReason.Timeout), InferenceMetricNames.Timeout);
            }
        }
    }

    private void OnCanceled(PendingRequest request)
    {
        var remove = false;
        lock (_gate)
        {
            switch (request.State)
            {
                case PendingRequest.Created:
                    request.CancelRequested = true;
                    break;
                case PendingRequest.Queued:
                    _queue.Remove(request);
                    request.State = PendingRequest.Completed;
                    remove = true;
                    break;
                case PendingRequest.Running:
                    request.CancelRequested = true;
                    var batch = request.Batch!;
                    if (batch.Running && ++batch.CanceledCount == batch.Count)
                    {
                        batch.RunOptions!.Terminate = true;
                    }

                    break;
            }
        }

        if (remove)
        {
            _metrics.Dequeued(1);
            Finish(request, null, new OperationCanceledException(request.CancellationToken), InferenceMetricNames.Canceled);
        }
    }
}
