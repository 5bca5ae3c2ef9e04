using System.Diagnostics;

namespace Aigc.Inference;

/// <summary>
/// The <c>Aigc.Inference</c> activity source and the names of its spans, attributes and events, in one place: the
/// OpenTelemetry GenAI conventions they follow are still in development and may rename them. The attribute names
/// the spans share with the metrics (operation, provider, models, <c>error.type</c>) are in <see cref="GenerationMetricNames"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Generation.</b> Each <see cref="GenerationEngine"/> request is one span named
/// <c>{gen_ai.operation.name} {gen_ai.request.model}</c>, a child of the caller's <see cref="Activity.Current"/> when it
/// submitted the request, from submission to its last token. Its kind is <see cref="ActivityKind.Internal"/>: the
/// conventions ask for <c>CLIENT</c> unless the model runs in the same process as the caller, which is what the
/// engine is (a transport in front of it, such as an HTTP server, has its own server span as the parent).
/// </para>
/// <para>
/// <b>Dynamic batching.</b> Each <see cref="BatchedModel"/> request is a span <c>infer.request {model}</c> (child of
/// the caller's activity) that covers its queue wait and its batch's run and gets a <see cref="BatchStartedEvent"/>
/// when its batch starts; each executed batch is a root span <c>infer {model}</c> linked to the spans of the
/// requests it serves.
/// </para>
/// Nothing is allocated when no listener samples the source.
/// </remarks>
public static class InferenceTelemetry
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "Aigc.Inference";

    /// <summary>The operation of a batch span (<c>infer {model}</c>).</summary>
    public const string BatchOperation = "infer";

    /// <summary>The operation of a batched request's span (<c>infer.request {model}</c>).</summary>
    public const string RequestOperation = "infer.request";

    /// <summary>Attribute: the most new tokens the request may produce.</summary>
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";

    /// <summary>Attribute: the sampling temperature (0 is greedy).</summary>
    public const string RequestTemperature = "gen_ai.request.temperature";

    /// <summary>Attribute: the nucleus (set when below 1).</summary>
    public const string RequestTopP = "gen_ai.request.top_p";

    /// <summary>Attribute: top-k (set when above 0).</summary>
    public const string RequestTopK = "gen_ai.request.top_k";

    /// <summary>Attribute: the seed (set when the request has one).</summary>
    public const string RequestSeed = "gen_ai.request.seed";

    /// <summary>Attribute: the frequency penalty (set when not 0).</summary>
    public const string RequestFrequencyPenalty = "gen_ai.request.frequency_penalty";

    /// <summary>Attribute: the presence penalty (set when not 0).</summary>
    public const string RequestPresencePenalty = "gen_ai.request.presence_penalty";

    /// <summary>Attribute: the stop sequences (set when there are any).</summary>
    public const string RequestStopSequences = "gen_ai.request.stop_sequences";

    /// <summary>Attribute: the number of candidates asked for (beam search's width, set when not 1).</summary>
    public const string RequestChoiceCount = "gen_ai.request.choice.count";

    /// <summary>Attribute: prompt tokens.</summary>
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary>Attribute: generated tokens.</summary>
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary>Attribute: why generation stopped (<c>stop</c>, <c>length</c> or <c>content_filter</c>).</summary>
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";

    /// <summary>Attribute: the completion's id, when the layer above the engine gave one.</summary>
    public const string ResponseId = "gen_ai.response.id";

    /// <summary>Attribute: the LoRA adapter a request ran with.</summary>
    public const string AdapterName = "aigc.inference.adapter.name";

    /// <summary>Attribute: the model a batch or batched request ran on.</summary>
    public const string ModelName = "aigc.model.name";

    /// <summary>Attribute of a batch span: the requests it serves.</summary>
    public const string BatchRequests = "aigc.inference.batch.requests";

    /// <summary>Attribute of batch and batched request spans: the rows (batch dimension) of the batch or of the request.</summary>
    public const string Rows = "aigc.inference.rows";

    /// <summary>Attribute of a batch span: how long (s) its oldest request waited in the queue.</summary>
    public const string BatchOldestQueueTime = "aigc.inference.batch.oldest_queue_time";

    /// <summary>Attribute of <see cref="BatchStartedEvent"/> and <see cref="AdmittedEvent"/>: how long (s) the request waited in the queue.</summary>
    public const string QueueTime = "aigc.inference.queue_time";

    /// <summary>Attribute of <see cref="BatchStartedEvent"/>: the span id of the batch span.</summary>
    public const string BatchSpanId = "aigc.inference.batch.span_id";

    /// <summary>Attribute of <see cref="FirstTokenEvent"/>: the time (s) from submission to the first token.</summary>
    public const string TimeToFirstToken = "aigc.inference.time_to_first_token";

    /// <summary>Event: a batched request's batch started running.</summary>
    public const string BatchStartedEvent = "aigc.inference.batch.started";

    /// <summary>Event: a generation request got a place among the running sequences.</summary>
    public const string AdmittedEvent = "aigc.inference.generation.admitted";

    /// <summary>Event: a generation request's prompt is in the KV cache.</summary>
    public const string PrefillCompletedEvent = "aigc.inference.generation.prefill_completed";

    /// <summary>Event: a generation request's first token is produced.</summary>
    public const string FirstTokenEvent = "aigc.inference.generation.first_token";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span as a child of the caller's current activity without making it current (the work runs elsewhere).</summary>
    internal static Activity? StartDetached(string name)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var current = Activity.Current;
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        Activity.Current = current;
        return activity;
    }

    /// <summary>Ends a span with <c>error.type</c> and an error status when <paramref name="errorType"/> is set.</summary>
    internal static void Stop(Activity activity, string? errorType, Exception? error)
    {
        if (errorType is not null)
        {
            activity.SetTag(GenerationMetricNames.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, error?.Message);
        }

        activity.Stop();
    }
}
