namespace Aigc.Monitoring;

/// <summary>The data type of a feedback value (Langfuse's score data types).</summary>
public enum FeedbackValueKind
{
    /// <summary>A number, for example a 1–5 rating.</summary>
    Numeric = 0,

    /// <summary>A label from a fixed set, for example <c>off-topic</c>.</summary>
    Categorical = 1,

    /// <summary>True or false, for example thumbs up or down; stored as the number 1 or 0.</summary>
    Boolean = 2,
}
