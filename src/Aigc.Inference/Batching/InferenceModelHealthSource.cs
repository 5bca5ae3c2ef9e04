namespace Aigc.Inference;

/// <summary>
/// Reports the models <c>AddInference</c> serves to the health checks (<c>IModelHealthSource</c>): which are
/// loaded, and their request queues' depth and capacity added up.
/// </summary>
internal sealed class InferenceModelHealthSource(InferenceModelHost host) : IModelHealthSource
{
    public ModelHealthSnapshot? GetHealth() => host.GetHealth();
}
