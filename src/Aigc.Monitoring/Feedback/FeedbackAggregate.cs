namespace Aigc.Monitoring;

/// <summary>Feedback statistics of one model version.</summary>
/// <param name="ModelName">The model name.</param>
/// <param name="ModelVersion">The model version.</param>
/// <param name="Count">All matching feedback records of the version.</param>
/// <param name="RatingCount">The numeric records named like <see cref="FeedbackAggregateQuery.RatingName"/>.</param>
/// <param name="MeanRating">Their mean, or <see langword="null"/> when there is none.</param>
/// <param name="ThumbsCount">The boolean records named like <see cref="FeedbackAggregateQuery.ThumbsName"/>.</param>
/// <param name="ThumbsUpCount">How many of them are true (thumbs up).</param>
public sealed record FeedbackAggregate(string ModelName, string ModelVersion, long Count, long RatingCount, double? MeanRating, long ThumbsCount, long ThumbsUpCount)
{
    /// <summary>Gets the share of thumbs that are up, or <see langword="null"/> when there are no thumbs.</summary>
    public double? ThumbsUpRate => ThumbsCount == 0 ? null : (double)ThumbsUpCount / ThumbsCount;
}
