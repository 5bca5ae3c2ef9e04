namespace Aigc;

/// <summary>Conveniences over <see cref="IModelRegistry"/>.</summary>
public static class ModelRegistryExtensions
{
    /// <summary>
    /// Registers training output as a new ready version in one call: every file of a folder (a PEFT adapter folder)
    /// or a single file (a merged ONNX model), with its lineage and tags.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The model name; the model is created when it does not exist yet.</param>
    /// <param name="path">A folder or a file.</param>
    /// <param name="lineage">Where the version came from, or <see langword="null"/>.</param>
    /// <param name="tags">The version's tags, or <see langword="null"/>.</param>
    /// <param name="description">The version's description, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is not valid, <paramref name="path"/> is empty, or the folder holds no file.</exception>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static Task<ModelVersion> RegisterVersionAsync(
        this IModelRegistry registry,
        string name,
        string path,
        ModelLineage? lineage = null,
        IReadOnlyDictionary<string, string>? tags = null,
        string? description = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        var files = ModelArtifactSource.FromPath(path);
        if (files.Count == 0)
        {
            throw new ArgumentException($"The folder '{Path.GetFullPath(path)}' holds no file to register.", nameof(path));
        }

        return registry.RegisterVersionAsync(
            new ModelVersionRegistration
            {
                Name = name,
                Files = files,
                Lineage = lineage ?? new ModelLineage(),
                Tags = tags ?? new Dictionary<string, string>(),
                Description = description,
            },
            cancellationToken);
    }

    /// <summary>Parses a model URI and returns the version it names.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="uri">The URI, for example <c>models:/writer@champion</c> or <c>models:/writer/3</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelUriFormatException"><paramref name="uri"/> is not a model URI.</exception>
    /// <exception cref="ModelNotFoundException">The model, version or alias does not exist.</exception>
    public static Task<ModelVersion> ResolveAsync(this IModelRegistry registry, string uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.ResolveAsync(ModelUri.Parse(uri), cancellationToken);
    }
}
