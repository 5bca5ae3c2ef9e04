namespace Aigc.Monitoring;

/// <summary>Which feedback to aggregate, and which feedback names are ratings and thumbs.</summary>
public sealed record FeedbackAggregateQuery
{
    /// <summary>Gets the model name to match, or <see langword="null"/> for any.</summary>
    public string? ModelName { get; init; }

    /// <summary>Gets the model version to match, or <see langword="null"/> for any.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Gets the earliest time to include (inclusive), or <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the time to stop before (exclusive), or <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the name of numeric rating feedback.</summary>
    /// <value>The default value is <see cref="FeedbackNames.Rating"/>.</value>
    public string RatingName { get; init; } = FeedbackNames.Rating;

    /// <summary>Gets the name of boolean thumbs feedback.</summary>
    /// <value>The default value is <see cref="FeedbackNames.Thumbs"/>.</value>
    public string ThumbsName { get; init; } = FeedbackNames.Thumbs;
}
