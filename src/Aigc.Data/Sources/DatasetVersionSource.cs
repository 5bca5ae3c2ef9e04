using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// A stored dataset version (or one of its splits) as a pipeline source: its records are read from the
/// <see cref="IDatasetStore"/>, and the version becomes the new version's lineage parent.
/// </summary>
public sealed class DatasetVersionSource : IDataSource
{
    private readonly IDatasetStore _store;

    /// <summary>Initializes a source over a stored version whose manifest is known.</summary>
    /// <param name="store">The store holding the version.</param>
    /// <param name="manifest">The version's manifest.</param>
    /// <param name="split">A split to read, or <see langword="null"/> for every split.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="manifest"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The version has no split <paramref name="split"/>.</exception>
    public DatasetVersionSource(IDatasetStore store, DatasetManifest manifest, string? split = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        if (split is not null && !manifest.Splits.ContainsKey(split) && !manifest.Files.ContainsKey(split))
        {
            throw new ArgumentException(
                $"The dataset '{manifest.Name}' version {manifest.Version} has no split '{split}' (splits: {string.Join(", ", manifest.Splits.Keys)}).",
                nameof(split));
        }

        _store = store;
        Manifest = manifest;
        Split = split;
    }

    /// <summary>Gets the manifest of the version read.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>Gets the split read, or <see langword="null"/> for every split.</summary>
    public string? Split { get; }

    /// <inheritdoc />
    /// <value><c>read.dataset</c>.</value>
    public string Id => "read.dataset";

    /// <inheritdoc />
    public RecordKind Kind => Manifest.Kind;

    /// <inheritdoc />
    /// <value>The version read.</value>
    public IReadOnlyList<DatasetReference> Parents => [Manifest.ToReference()];

    /// <summary>Looks a version up in a store and returns a source over it.</summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number, or <see langword="null"/> for the newest.</param>
    /// <param name="split">A split to read, or <see langword="null"/> for every split.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or the version has no split <paramref name="split"/>.</exception>
    /// <exception cref="InvalidOperationException">The store has no such version.</exception>
    public static async Task<DatasetVersionSource> OpenAsync(IDatasetStore store, string name, int? version = null, string? split = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var manifest = await store.GetAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(version is null
                ? $"The dataset store has no dataset '{name}'."
                : $"The dataset store has no version {version} of dataset '{name}'.");
        return new DatasetVersionSource(store, manifest, split);
    }

    /// <inheritdoc />
    /// <remarks>The version's own fingerprint, chained with the split name when one split is read.</remarks>
    public ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Split is null
            ? Manifest.Fingerprint
            : DatasetFingerprint.Combine(Manifest.Fingerprint, Id, 1, new StepParameters().Add("split", Split)));

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var record in _store.ReadAsync(Manifest.Name, Manifest.Version, Split, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }
}
