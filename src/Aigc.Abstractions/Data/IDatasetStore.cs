namespace Aigc;

/// <summary>
/// Stores immutable, numbered dataset versions: each a folder with its data files, <c>manifest.json</c> and
/// <c>rejects.jsonl</c>. Implemented by Aigc.Data; other layers (Monitoring's feedback export, Training's data
/// loading) use it through this contract.
/// </summary>
public interface IDatasetStore
{
    /// <summary>Starts writing a new version of a dataset.</summary>
    /// <param name="request">The version's name, fingerprint, schema, steps and lineage.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The writer; commit it to make the version visible.</returns>
    Task<IDatasetVersionWriter> BeginWriteAsync(DatasetVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the newest version of <paramref name="name"/> whose fingerprint is <paramref name="fingerprint"/>, if any.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="fingerprint">The content fingerprint.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The manifest, or <see langword="null"/> when no version has that fingerprint.</returns>
    Task<DatasetManifest?> FindAsync(string name, string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Returns one version's manifest, or the newest version's when <paramref name="version"/> is <see langword="null"/>.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number, or <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The manifest, or <see langword="null"/> when there is no such version.</returns>
    Task<DatasetManifest?> GetAsync(string name, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the versions of one dataset, or of every dataset when <paramref name="name"/> is <see langword="null"/>, oldest first.</summary>
    /// <param name="name">The dataset name, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The manifests.</returns>
    IAsyncEnumerable<DatasetManifest> ListAsync(string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the records of a stored version, streaming.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="split">A split name, or <see langword="null"/> for every split.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<DataRecord> ReadAsync(string name, int version, string? split = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the rejects of a stored version, streaming.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The rejected records.</returns>
    IAsyncEnumerable<RejectedRecord> ReadRejectsAsync(string name, int version, CancellationToken cancellationToken = default);
}
