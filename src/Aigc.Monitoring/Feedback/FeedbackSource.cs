namespace Aigc.Monitoring;

/// <summary>Where a piece of feedback came from (Langfuse's score sources).</summary>
public enum FeedbackSource
{
    /// <summary>Sent by an application through the API, usually from an end user (thumbs, ratings, corrections).</summary>
    Api = 0,

    /// <summary>Produced by an automatic evaluator (<see cref="IEvaluator"/>).</summary>
    Eval = 1,

    /// <summary>Written by a human annotator reviewing the exchange.</summary>
    Annotation = 2,
}
