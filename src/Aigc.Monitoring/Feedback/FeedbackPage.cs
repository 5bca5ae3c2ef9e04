namespace Aigc.Monitoring;

/// <summary>One page of feedback records.</summary>
/// <param name="Items">The records, oldest first.</param>
/// <param name="ContinuationToken">Pass as <see cref="FeedbackQuery.ContinuationToken"/> to read the next page; <see langword="null"/> after the last page.</param>
public sealed record FeedbackPage(IReadOnlyList<FeedbackRecord> Items, string? ContinuationToken);
