namespace Aigc.Inference;

/// <content>Handing out a version's files, always verified against the SHA-256 recorded at registration.</content>
internal sealed partial class SqlModelRegistry
{
    public async Task<Stream> OpenArtifactAsync(string name, int version, string path, CancellationToken cancellationToken = default)
    {
        var blob = await GetArtifactPathAsync(name, version, path, cancellationToken).ConfigureAwait(false);
        return ContentAddressedStore.OpenBlob(blob);
    }

    public async Task<string> GetArtifactPathAsync(string name, int version, string path, CancellationToken cancellationToken = default)
    {
        ModelArtifactSource.ThrowIfInvalidPath(path, nameof(path));
        var stored = await GetReadyVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        ModelArtifact? artifact = null;
        foreach (var candidate in stored.Artifacts)
        {
            if (string.Equals(candidate.Path, path, StringComparison.Ordinal))
            {
                artifact = candidate;
                break;
            }
        }

        if (artifact is null)
        {
            throw new ModelNotFoundException(
                $"{stored.Uri} has no file '{path}'. Its files: {string.Join(", ", stored.Artifacts.Select(a => a.Path))}.", name, version, null);
        }

        return await VerifyAsync(artifact, stored.Uri, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ExportArtifactsAsync(string name, int version, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var stored = await GetReadyVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        var root = Path.GetFullPath(destinationDirectory);
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var written = new List<string>(stored.Artifacts.Count);
        foreach (var artifact in stored.Artifacts)
        {
            // Paths were checked at registration; check again, since the database could have been edited since.
            var target = Path.GetFullPath(Path.Combine(root, artifact.Path));
            if (!ModelArtifactSource.IsValidPath(artifact.Path) || !target.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                throw new ModelRegistryException(
                    $"The registry records the file path '{artifact.Path}' for {stored.Uri}, which would leave '{root}': the database was altered. Nothing was written for it.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                await _store.CopyVerifiedAsync(artifact, stored.Uri, target, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelArtifactIntegrityException exception)
            {
                RegistryLog.IntegrityFailure(_logger, exception.FilePath, stored.Uri.ToString(), artifact.Path, artifact.Sha256, exception.ActualSha256);
                throw;
            }

            written.Add(target);
        }

        return written;
    }

    private async Task<ModelVersion> GetReadyVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        var stored = await GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        return stored.Status == ModelVersionStatus.Ready
            ? stored
            : throw new ModelRegistryException($"{stored.Uri} is {stored.Status.ToString().ToLowerInvariant()}: only a ready version has files to hand out.");
    }

    private async Task<string> VerifyAsync(ModelArtifact artifact, ModelUri version, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.VerifyAsync(artifact, version, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelArtifactIntegrityException exception)
        {
            RegistryLog.IntegrityFailure(_logger, exception.FilePath, version.ToString(), artifact.Path, artifact.Sha256, exception.ActualSha256);
            throw;
        }
    }
}
