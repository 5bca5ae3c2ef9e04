using System.Diagnostics;

namespace Aigc.Inference;

/// <summary>
/// The spans of a <see cref="BatchedModel"/> (see <see cref="InferenceTelemetry"/>): one per request, from its arrival to
/// its completion, and one per executed batch, linked to the spans of the requests it serves. No-ops when nobody listens.
/// </summary>
internal sealed class BatchTracing(string model, TimeProvider time)
{
    private readonly string _requestName = InferenceTelemetry.RequestOperation + " " + model;
    private readonly string _batchName = InferenceTelemetry.BatchOperation + " " + model;

    /// <summary>Starts a request's span on the caller's thread, a child of its current activity; null when nobody listens.</summary>
    public Activity? StartRequest(int rows)
    {
        var activity = InferenceTelemetry.StartDetached(_requestName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(InferenceTelemetry.ModelName, model);
            activity.SetTag(InferenceTelemetry.Rows, rows);
        }

        return activity;
    }

    /// <summary>Ends a request's span; anything but success is an error with its outcome (or exception type) as <c>error.type</c>.</summary>
    public static void EndRequest(PendingRequest request, Exception? error, string outcome)
    {
        if (request.Activity is not { } activity)
        {
            return;
        }

        request.Activity = null;
        var errorType = outcome switch
        {
            InferenceMetricNames.Success => null,
            InferenceMetricNames.Error => error?.GetType().FullName ?? InferenceMetricNames.Error,
            _ => outcome,
        };
        InferenceTelemetry.Stop(activity, errorType, error);
    }

    /// <summary>
    /// Starts the span of a batch about to run (a root: the executor thread has no caller), linked to its requests'
    /// spans, and adds <see cref="InferenceTelemetry.BatchStartedEvent"/> to each of those; null when nobody listens.
    /// </summary>
    public Activity? StartBatch(Batch batch)
    {
        if (!InferenceTelemetry.Source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        var oldest = long.MaxValue;
        for (var k = 0; k < batch.Count; k++)
        {
            var request = batch.Requests[k];
            oldest = Math.Min(oldest, request.EnqueuedAt);
            if (request.Activity is { } requestActivity)
            {
                (links ??= new List<ActivityLink>(batch.Count)).Add(new ActivityLink(requestActivity.Context));
            }
        }

        // A root: the executor thread inherited whatever activity was current when the model was built.
        Activity.Current = null;
        var activity = InferenceTelemetry.Source.StartActivity(_batchName, ActivityKind.Internal, parentContext: default, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(InferenceTelemetry.ModelName, model);
            activity.SetTag(InferenceTelemetry.BatchRequests, batch.Count);
            activity.SetTag(InferenceTelemetry.Rows, batch.Rows);
            activity.SetTag(InferenceTelemetry.BatchOldestQueueTime, oldest == long.MaxValue ? 0.0 : time.GetElapsedTime(oldest, batch.FormedAt).TotalSeconds);
        }

        for (var k = 0; k < batch.Count; k++)
        {
            var request = batch.Requests[k];
            if (request.Activity is { IsAllDataRequested: true } requestActivity)
            {
                var tags = new ActivityTagsCollection { { InferenceTelemetry.QueueTime, time.GetElapsedTime(request.EnqueuedAt, batch.FormedAt).TotalSeconds } };
                if (activity is not null)
                {
                    tags.Add(InferenceTelemetry.BatchSpanId, activity.SpanId.ToHexString());
                }

                requestActivity.AddEvent(new ActivityEvent(InferenceTelemetry.BatchStartedEvent, tags: tags));
            }
        }

        return activity;
    }

    /// <summary>Ends a batch's span: an error when the run failed (every request then carries the exception).</summary>
    public static void EndBatch(Activity? activity, Batch batch)
    {
        if (activity is null)
        {
            return;
        }

        Exception? error = null;
        for (var k = 0; k < batch.Count && error is null; k++)
        {
            error = batch.Errors[k];
        }

        InferenceTelemetry.Stop(activity, error?.GetType().FullName, error);
    }
}
