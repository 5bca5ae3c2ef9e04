using System.Runtime.CompilerServices;

namespace Aigc.Monitoring;

/// <summary>Conveniences over <see cref="IFeedbackStore"/>.</summary>
public static class FeedbackStoreExtensions
{
    /// <summary>Reads every record that matches a query, page by page.</summary>
    /// <param name="store">The store.</param>
    /// <param name="query">The filters and page size (its continuation token is the starting point).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records, oldest first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="query"/> is <see langword="null"/>.</exception>
    public static IAsyncEnumerable<FeedbackRecord> ReadAllAsync(this IFeedbackStore store, FeedbackQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        return ReadAll(store, query, cancellationToken);
    }

    private static async IAsyncEnumerable<FeedbackRecord> ReadAll(IFeedbackStore store, FeedbackQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Items)
            {
                yield return record;
            }

            if (page.ContinuationToken is null)
            {
                yield break;
            }

            query = query with { ContinuationToken = page.ContinuationToken };
        }
    }
}
