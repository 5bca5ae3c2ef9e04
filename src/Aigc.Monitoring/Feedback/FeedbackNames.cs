namespace Aigc.Monitoring;

/// <summary>Conventional feedback names, used by the aggregates and the dataset export unless told otherwise.</summary>
public static class FeedbackNames
{
    /// <summary>Thumbs up (true) or down (false): a <see cref="FeedbackValueKind.Boolean"/> value.</summary>
    public const string Thumbs = "thumbs";

    /// <summary>A numeric rating, for example 1–5: a <see cref="FeedbackValueKind.Numeric"/> value.</summary>
    public const string Rating = "rating";
}
