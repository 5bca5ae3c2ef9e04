using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>Which feedback records to read, and which page.</summary>
public sealed record FeedbackQuery
{
    /// <summary>Gets the model name to match, or <see langword="null"/> for any.</summary>
    public string? ModelName { get; init; }

    /// <summary>Gets the model version to match, or <see langword="null"/> for any.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Gets the feedback name to match, or <see langword="null"/> for any.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the source to match, or <see langword="null"/> for any.</summary>
    public FeedbackSource? Source { get; init; }

    /// <summary>Gets the earliest time to include (inclusive), or <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the time to stop before (exclusive), or <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the most records a page holds.</summary>
    /// <value>The default value is <c>100</c>.</value>
    [Range(1, 10_000)]
    public int PageSize { get; init; } = 100;

    /// <summary>Gets the continuation token of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? ContinuationToken { get; init; }
}
