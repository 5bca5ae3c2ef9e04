namespace Aigc.WebApi.Serving;

/// <summary>
/// The one place endpoints get the models they serve from. The host's implementation
/// (<see cref="RegistryServedModels"/>) serves one registry alias resolved at start; a router that follows alias
/// changes (hot swap) plugs in by registering another implementation of this interface.
/// </summary>
internal interface IServedModels
{
    /// <summary>Gets the models served now.</summary>
    IReadOnlyList<ServedModel> Models { get; }

    /// <summary>Finds the served model (and adapter) a request's <c>model</c> field names.</summary>
    /// <param name="modelId">A model id from <c>/v1/models</c>: a model, or <c>model:adapter</c>.</param>
    /// <returns>The selection, or <see langword="null"/> when nothing served has that id.</returns>
    ModelSelection? Find(string modelId);
}
