namespace Aigc.Inference;

/// <summary>
/// Turns a registered model version into something that serves requests, for a <see cref="ModelRouter{TModel}"/>:
/// fetches its verified files from the registry, loads them and warms the result up; later releases it. Aigc ships
/// <see cref="BatchedModelLoader"/> (an ONNX model behind a dynamic batcher) and <see cref="TextGeneratorLoader"/>
/// (a continuous-batching text generator); image pipelines and other kinds plug in the same way.
/// </summary>
/// <typeparam name="TModel">What is loaded.</typeparam>
public interface IModelVersionLoader<TModel>
    where TModel : class
{
    /// <summary>Loads and warms up one version. It must not serve traffic before this completes.</summary>
    /// <param name="registry">The registry to fetch the version's files from (verified against their SHA-256).</param>
    /// <param name="version">The version to load; it is ready.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The loaded, warmed-up model.</returns>
    /// <exception cref="ModelArtifactIntegrityException">A file does not match its recorded SHA-256.</exception>
    /// <exception cref="ModelLoadException">The files could not be loaded or warmed up.</exception>
    ValueTask<TModel> LoadAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken);

    /// <summary>Releases a model the router no longer serves; no request uses it any more.</summary>
    /// <param name="model">The model to release.</param>
    /// <returns>A task that completes when it is released.</returns>
    ValueTask UnloadAsync(TModel model);
}
