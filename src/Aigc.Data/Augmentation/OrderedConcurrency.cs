using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>Maps a stream through an asynchronous function with bounded concurrency, yielding results in input order.</summary>
internal static class OrderedConcurrency
{
    /// <summary>
    /// Starts <paramref name="selector"/> for up to <paramref name="window"/> items at once and yields the results in the
    /// order of the items. When the consumer stops early or fails, the items still running are cancelled and awaited.
    /// </summary>
    /// <typeparam name="TSource">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="source">The items.</param>
    /// <param name="selector">The function; receives a token cancelled when the enumeration ends.</param>
    /// <param name="window">How many items may be in flight.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The results, in input order.</returns>
    public static async IAsyncEnumerable<TResult> SelectAsync<TSource, TResult>(
        IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        int window,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<TResult>>(window);
        try
        {
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (pending.Count >= window)
                {
                    yield return await pending.Dequeue().ConfigureAwait(false);
                }

                pending.Enqueue(selector(item, cancellation.Token));
            }

            while (pending.Count > 0)
            {
                yield return await pending.Dequeue().ConfigureAwait(false);
            }
        }
        finally
        {
            if (pending.Count > 0)
            {
                await cancellation.CancelAsync().ConfigureAwait(false);
                await ((Task)Task.WhenAll(pending)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
