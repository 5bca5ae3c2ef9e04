namespace Aigc;

/// <summary>
/// Stores model versions with their files and lineage: registered models, versions numbered from 1 per model,
/// a status (pending, ready, failed), descriptions and tags, movable aliases (<c>champion</c>, <c>challenger</c>, …),
/// and files kept by SHA-256 and verified whenever they are handed out. Implemented by Aigc.Inference (SQLite and
/// PostgreSQL); Training registers its output through it and serving resolves <c>models:/name@alias</c> with it.
/// </summary>
/// <remarks>
/// Implementations are safe to use from many threads at once and, sharing one database and artifact root, from
/// many processes or hosts: concurrent registrations get distinct version numbers.
/// </remarks>
public interface IModelRegistry
{
    /// <summary>Creates a registered model without versions.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="description">The description, or <see langword="null"/>.</param>
    /// <param name="tags">The tags, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new model.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    /// <exception cref="ModelRegistryException">A model with that name already exists.</exception>
    Task<RegisteredModel> CreateModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Returns a registered model.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The model, or <see langword="null"/> when there is none with that name.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    Task<RegisteredModel?> GetModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Changes a registered model's description and tags.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The model after the change.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelNotFoundException">There is no model with that name.</exception>
    Task<RegisteredModel> UpdateModelAsync(string name, ModelMetadataUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Lists registered models in name order, one page at a time.</summary>
    /// <param name="query">The filters and page, or <see langword="null"/> for the first page of every model.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The page size is out of range or the page token is not one this registry issued.</exception>
    Task<ModelPage<RegisteredModel>> ListModelsAsync(ModelQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a new, ready version: copies its files into the artifact store (hashing them as they stream) and
    /// records the version, its files, lineage and tags in one transaction, under the next version number.
    /// The model is created when it does not exist yet.
    /// </summary>
    /// <param name="registration">The model name, files, lineage, description and tags.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is not valid, there are no files, or two files have the same path.</exception>
    /// <exception cref="FileNotFoundException">A source file does not exist.</exception>
    /// <exception cref="ModelNotFoundException">The lineage's base model does not exist in the registry.</exception>
    Task<ModelVersion> RegisterVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves the next version number as a <see cref="ModelVersionStatus.Pending"/> version without files (for
    /// example when training starts); finish it with <see cref="CompleteVersionAsync"/> or <see cref="FailVersionAsync"/>.
    /// </summary>
    /// <param name="registration">The model name, lineage, description and tags; its files must be empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The pending version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is not valid or files were given.</exception>
    /// <exception cref="ModelNotFoundException">The lineage's base model does not exist in the registry.</exception>
    Task<ModelVersion> BeginVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Stores the files of a pending version and makes it <see cref="ModelVersionStatus.Ready"/>, in one transaction.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The pending version's number.</param>
    /// <param name="files">The files to copy in (at least one).</param>
    /// <param name="metrics">Metrics to add to the lineage (overwriting those with the same name), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ready version.</returns>
    /// <exception cref="ArgumentException">The name is not valid, there are no files, or two files have the same path.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelRegistryException">The version is not pending.</exception>
    Task<ModelVersion> CompleteVersionAsync(string name, int version, IReadOnlyList<ModelArtifactSource> files, IReadOnlyDictionary<string, double>? metrics = null, CancellationToken cancellationToken = default);

    /// <summary>Marks a pending version <see cref="ModelVersionStatus.Failed"/>, with the reason.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The pending version's number.</param>
    /// <param name="reason">Why it failed.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The failed version.</returns>
    /// <exception cref="ArgumentException">The name is not valid or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelRegistryException">The version is not pending.</exception>
    Task<ModelVersion> FailVersionAsync(string name, int version, string reason, CancellationToken cancellationToken = default);

    /// <summary>Returns one version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version, or <see langword="null"/> when it does not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    Task<ModelVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Returns the version a URI names: the pinned version, or the one its alias points at now.</summary>
    /// <param name="uri">The URI, for example <c>models:/writer@champion</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelNotFoundException">The model, version or alias does not exist.</exception>
    Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken = default);

    /// <summary>Changes a version's description and tags.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version after the change.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    Task<ModelVersion> UpdateVersionAsync(string name, int version, ModelMetadataUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Searches versions, newest registration first, one page at a time.</summary>
    /// <param name="query">The filters and page, or <see langword="null"/> for the first page of every version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The page size is out of range or the page token is not one this registry issued.</exception>
    Task<ModelPage<ModelVersion>> SearchVersionsAsync(ModelVersionQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Points an alias at a ready version, creating or moving it; watchers see the change. Pointing an alias at the
    /// version it already names changes nothing: no watcher is woken, and the returned change has
    /// <see cref="ModelAliasChange.PreviousVersion"/> equal to <see cref="ModelAliasChange.Version"/> and a
    /// <see cref="ModelAliasChange.Sequence"/> of <c>0</c>.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias, for example <c>champion</c>.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The change.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="alias"/> is not valid.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelRegistryException">The version is not ready.</exception>
    Task<ModelAliasChange> SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias; watchers see the change.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the alias existed.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="alias"/> is not valid.</exception>
    Task<bool> DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams alias changes: first the current assignment of every alias (<see cref="ModelAliasChange.IsSnapshot"/>),
    /// then every change, in commit order, as it happens (also changes made by other processes and hosts sharing the
    /// store). The stream ends only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="name">The model whose aliases to watch, or <see langword="null"/> for every model.</param>
    /// <param name="cancellationToken">Ends the stream (with an <see cref="OperationCanceledException"/>).</param>
    /// <returns>The changes.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    IAsyncEnumerable<ModelAliasChange> WatchAliasesAsync(string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Verifies one of a version's files against its recorded SHA-256 and opens it for reading.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="path">The file's path inside the version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A read-only stream over the verified file.</returns>
    /// <exception cref="ModelNotFoundException">The version, or the file in it, does not exist.</exception>
    /// <exception cref="ModelArtifactIntegrityException">The stored file is missing or was changed since registration.</exception>
    Task<Stream> OpenArtifactAsync(string name, int version, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies one of a version's files against its recorded SHA-256 and returns where it is stored, for readers
    /// that need a file path (for example ONNX Runtime). The file must be opened read-only.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="path">The file's path inside the version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The full path of the verified stored file.</returns>
    /// <exception cref="ModelNotFoundException">The version, or the file in it, does not exist.</exception>
    /// <exception cref="ModelArtifactIntegrityException">The stored file is missing or was changed since registration.</exception>
    Task<string> GetArtifactPathAsync(string name, int version, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies a version's files into a folder under their paths inside the version (for example to rebuild an
    /// adapter folder), verifying each as it is copied; a file that fails verification is not left behind.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="destinationDirectory">The folder to copy into (created when missing; files there are overwritten).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The full paths of the copied files, in path order.</returns>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelArtifactIntegrityException">A stored file is missing or was changed since registration.</exception>
    Task<IReadOnlyList<string>> ExportArtifactsAsync(string name, int version, string destinationDirectory, CancellationToken cancellationToken = default);
}
