namespace Aigc.WebApi.Serving;

/// <summary>
/// The one place endpoints get the models they serve from (<see cref="RoutedServedModels"/>: a registry model behind
/// a router that follows its alias). A request holds the version it was given until it disposes the selection.
/// </summary>
internal interface IServedModels
{
    /// <summary>Lists the models served now.</summary>
    /// <param name="cancellationToken">Cancels the wait for a version to load.</param>
    /// <returns>The served models.</returns>
    ValueTask<IReadOnlyList<ServedModel>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Finds the served model (and adapter) a request's <c>model</c> field names and holds its version for the request.</summary>
    /// <param name="modelId">A model id from <c>/v1/models</c>: a model, or <c>model:adapter</c>.</param>
    /// <param name="cancellationToken">Cancels the wait for a version to load.</param>
    /// <returns>The selection (dispose it when the request ends), or <see langword="null"/> when nothing served has that id.</returns>
    ValueTask<ModelSelection?> AcquireAsync(string modelId, CancellationToken cancellationToken);
}
