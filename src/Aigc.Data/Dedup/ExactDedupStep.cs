using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// Drops exact duplicates (<c>dedup.exact</c>): records whose text (<see cref="DataRecord.GetText"/>) is equal after
/// the <see cref="ExactDedupOptions.Normalization"/>. The key is the 128-bit XxHash128 of the normalised text; the
/// first record with a key is kept (input order, so the survivor is deterministic) and later ones are marked as
/// duplicates of it. Streaming: memory is one 128-bit key per distinct text.
/// </summary>
/// <remarks>
/// Reports the counter <c>dedup.exact.duplicates</c>. Each run starts with an empty key set, so one instance can
/// be reused across pipeline runs. Two different texts share a key with probability about 2<sup>-128</sup> per pair.
/// </remarks>
public sealed class ExactDedupStep : IDataStep
{
    /// <summary>The name of the counter of dropped duplicates.</summary>
    public const string DuplicatesCounter = "dedup.exact.duplicates";

    private readonly ExactDedupOptions _options;

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><see cref="ExactDedupOptions.Normalization"/> has undefined flags.</exception>
    public ExactDedupStep(ExactDedupOptions? options = null)
    {
        var normalization = options?.Normalization ?? DedupNormalization.Default;
        if ((normalization & ~DedupNormalization.Default) != 0)
        {
            throw new ArgumentException($"Normalization has undefined flags ({(int)normalization}); combine the values of {nameof(DedupNormalization)}.", nameof(options));
        }

        _options = new ExactDedupOptions { Normalization = normalization, TrackSurvivorIds = options?.TrackSurvivorIds ?? false };
        Parameters = new StepParameters()
            .Add("normalization", DedupTextNormalizer.Describe(_options.Normalization))
            .Add("trackSurvivorIds", _options.TrackSurvivorIds);
    }

    /// <inheritdoc />
    public string Id => "dedup.exact";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<DataRecord> ExecuteAsync(IAsyncEnumerable<DataRecord> records, DataStepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        return _options.TrackSurvivorIds
            ? ExecuteWithSurvivorsAsync(records, context, cancellationToken)
            : ExecuteKeysOnlyAsync(records, context, cancellationToken);
    }

    private async IAsyncEnumerable<DataRecord> ExecuteKeysOnlyAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<UInt128>();
        using var normalizer = new DedupTextNormalizer(_options.Normalization);
        long duplicates = 0;
        try
        {
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(normalizer.Hash(record)))
                {
                    yield return record;
                }
                else
                {
                    duplicates++;
                    context.MarkDuplicate(record, survivorId: null);
                }
            }
        }
        finally
        {
            context.Increment(DuplicatesCounter, duplicates);
        }
    }

    private async IAsyncEnumerable<DataRecord> ExecuteWithSurvivorsAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var survivors = new Dictionary<UInt128, string>();
        using var normalizer = new DedupTextNormalizer(_options.Normalization);
        long duplicates = 0;
        try
        {
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var key = normalizer.Hash(record);
                if (survivors.TryGetValue(key, out var survivorId))
                {
                    duplicates++;
                    context.MarkDuplicate(record, survivorId);
                }
                else
                {
                    survivors.Add(key, record.Id);
                    yield return record;
                }
            }
        }
        finally
        {
            context.Increment(DuplicatesCounter, duplicates);
        }
    }
}
