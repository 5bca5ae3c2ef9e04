using Aigc.Inference;

namespace Aigc.WebApi.Serving;

/// <summary>
/// What a request's <c>model</c> field selected: a served model and, optionally, one of its adapters, with the lease
/// that keeps that version loaded until the request ends (an alias move waits for it).
/// </summary>
/// <param name="Id">The id as the client sent it (reported back as the response's <c>model</c>).</param>
/// <param name="Model">The served model.</param>
/// <param name="Adapter">The LoRA adapter, or <see langword="null"/> for the base model.</param>
/// <param name="Lease">The router's lease on the version.</param>
internal sealed record ModelSelection(string Id, ServedModel Model, string? Adapter, ModelLease<TextGenerator> Lease) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Lease.Dispose();
}
