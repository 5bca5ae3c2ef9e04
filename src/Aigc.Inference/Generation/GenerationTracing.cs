using System.Diagnostics;

namespace Aigc.Inference;

/// <summary>The span of each generation request (see <see cref="InferenceTelemetry"/>); a no-op for requests without one.</summary>
internal sealed class GenerationTracing(string model, TimeProvider time)
{
    private readonly string _completionName = GenerationMetricNames.TextCompletionOperation + " " + model;
    private readonly string _chatName = GenerationMetricNames.ChatOperation + " " + model;

    /// <summary>Starts the request's span on the submitting thread, a child of its current activity; null when nobody listens.</summary>
    public Activity? Start(GenerationRequest request)
    {
        if (!InferenceTelemetry.Source.HasListeners())
        {
            return null;
        }

        var operation = request.OperationName;
        var activity = InferenceTelemetry.StartDetached(operation == GenerationMetricNames.ChatOperation ? _chatName : operation == GenerationMetricNames.TextCompletionOperation ? _completionName : operation + " " + model);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        var sampling = request.Sampling;
        activity.SetTag(GenerationMetricNames.OperationName, operation);
        activity.SetTag(GenerationMetricNames.Provider, GenerationMetricNames.ProviderName);
        activity.SetTag(GenerationMetricNames.RequestModel, model);
        activity.SetTag(InferenceTelemetry.RequestMaxTokens, sampling.MaxTokens);
        activity.SetTag(InferenceTelemetry.RequestTemperature, (double)sampling.Temperature);
        if (sampling.TopP < 1f)
        {
            activity.SetTag(InferenceTelemetry.RequestTopP, (double)sampling.TopP);
        }

        if (sampling.TopK > 0)
        {
            activity.SetTag(InferenceTelemetry.RequestTopK, (double)sampling.TopK);
        }

        if (sampling.Seed is { } seed)
        {
            activity.SetTag(InferenceTelemetry.RequestSeed, seed);
        }

        if (sampling.FrequencyPenalty != 0f)
        {
            activity.SetTag(InferenceTelemetry.RequestFrequencyPenalty, (double)sampling.FrequencyPenalty);
        }

        if (sampling.PresencePenalty != 0f)
        {
            activity.SetTag(InferenceTelemetry.RequestPresencePenalty, (double)sampling.PresencePenalty);
        }

        if (sampling.StopSequences.Count > 0)
        {
            activity.SetTag(InferenceTelemetry.RequestStopSequences, sampling.StopSequences.ToArray());
        }

        if (sampling.BeamSearch is { } beam)
        {
            activity.SetTag(InferenceTelemetry.RequestChoiceCount, beam.BeamWidth);
        }

        if (request.Adapter is { } adapter)
        {
            activity.SetTag(InferenceTelemetry.AdapterName, adapter);
        }

        if (request.ResponseId is { } id)
        {
            activity.SetTag(InferenceTelemetry.ResponseId, id);
        }

        return activity;
    }

    /// <summary>The request left the waiting queue for a place among the running sequences (scheduler thread).</summary>
    public void Admitted(SequenceState sequence)
    {
        if (sequence.Activity is { IsAllDataRequested: true } activity)
        {
            var now = time.GetTimestamp();
            activity.AddEvent(new ActivityEvent(InferenceTelemetry.AdmittedEvent, tags: new ActivityTagsCollection
            {
                { InferenceTelemetry.QueueTime, time.GetElapsedTime(sequence.EnqueuedAt, now).TotalSeconds },
            }));
        }
    }

    /// <summary>The whole prompt is in the cache (scheduler thread).</summary>
    public static void PrefillCompleted(SequenceState sequence)
    {
        if (sequence.Activity is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent(InferenceTelemetry.PrefillCompletedEvent, tags: new ActivityTagsCollection
            {
                { InferenceTelemetry.UsageInputTokens, sequence.PromptLength },
            }));
        }
    }

    /// <summary>The first token was produced (scheduler thread).</summary>
    public void FirstToken(SequenceState sequence)
    {
        if (sequence.Activity is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent(InferenceTelemetry.FirstTokenEvent, tags: new ActivityTagsCollection
            {
                { InferenceTelemetry.TimeToFirstToken, time.GetElapsedTime(sequence.EnqueuedAt, sequence.FirstTokenAt).TotalSeconds },
            }));
        }
    }

    /// <summary>Ends the request's span with its usage and finish reason, or its error.</summary>
    public void End(SequenceState sequence, string? errorType, Exception? error)
    {
        if (sequence.Activity is not { } activity)
        {
            return;
        }

        sequence.Activity = null;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(GenerationMetricNames.ResponseModel, model);
            activity.SetTag(InferenceTelemetry.UsageInputTokens, sequence.PromptLength);
            activity.SetTag(InferenceTelemetry.UsageOutputTokens, sequence.Beam?.Generated ?? sequence.Generated);
            if (errorType is null)
            {
                // A reader that stopped early (at a stop sequence of the text layer) ended the output: a stop.
                activity.SetTag(InferenceTelemetry.ResponseFinishReasons, new[] { FinishReasonName(sequence.FinishReason ?? GenerationFinishReason.Stop) });
            }
        }

        InferenceTelemetry.Stop(activity, errorType, error);
    }

    private static string FinishReasonName(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.Length => "length",
        GenerationFinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };
}
