namespace Aigc.Monitoring;

/// <summary>
/// Stores <see cref="FeedbackRecord"/>s: idempotent inserts keyed by <see cref="FeedbackRecord.Id"/>, queries by
/// model and time range with keyset paging, and per-version aggregates. Implementations:
/// <see cref="SqliteFeedbackStore"/> (default) and <see cref="PostgresFeedbackStore"/>.
/// </summary>
/// <remarks>Implementations are thread-safe; the tables are created on first use.</remarks>
public interface IFeedbackStore
{
    /// <summary>Stores a record unless a record with its id is already stored.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the record was stored; <see langword="false"/> when its id was already there (nothing changed).</returns>
    Task<bool> AddAsync(FeedbackRecord record, CancellationToken cancellationToken = default);

    /// <summary>Stores records in one transaction, skipping those whose id is already stored.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the operation (nothing is stored then).</param>
    /// <returns>The number of records stored.</returns>
    Task<int> AddRangeAsync(IEnumerable<FeedbackRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Returns the record with the given id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or <see langword="null"/> when there is none.</returns>
    Task<FeedbackRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Returns one page of the records that match a query, oldest first (by time, then id).</summary>
    /// <param name="query">The filters, page size and continuation token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page, with the token of the next page when there may be more.</returns>
    Task<FeedbackPage> QueryAsync(FeedbackQuery query, CancellationToken cancellationToken = default);

    /// <summary>Computes per model version the count, mean rating and thumbs-up rate of the records that match.</summary>
    /// <param name="query">The filters and the names of the rating and thumbs feedback.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One aggregate per (model name, model version), ordered by name then version.</returns>
    Task<IReadOnlyList<FeedbackAggregate>> AggregateAsync(FeedbackAggregateQuery query, CancellationToken cancellationToken = default);
}
