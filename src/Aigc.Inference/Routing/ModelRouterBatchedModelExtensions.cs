namespace Aigc.Inference;

/// <summary>Runs requests through a <see cref="ModelRouter{TModel}"/> of <see cref="BatchedModel"/>s.</summary>
public static class ModelRouterBatchedModelExtensions
{
    /// <summary>
    /// Runs a request on the version its route serves now (mirroring it to the shadow, if any) and returns the outputs
    /// with the version that produced them.
    /// </summary>
    /// <param name="router">The router.</param>
    /// <param name="request">The request.</param>
    /// <param name="routingKey">A key that keeps requests on one canary route, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The outputs and their version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="router"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelLoadException">No version is loaded.</exception>
    /// <exception cref="ModelInputException">The request does not fit the model.</exception>
    /// <exception cref="InferenceRejectedException">The version's queue rejected the request.</exception>
    public static ValueTask<RoutedResult<InferenceResult>> InferAsync(this ModelRouter<BatchedModel> router, InferenceRequest request, string? routingKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(request);
        return router.RunAsync(request, static (model, r, ct) => model.InferAsync(r, ct), routingKey, cancellationToken);
    }
}
