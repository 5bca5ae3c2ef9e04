using Aigc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Marks a service collection that Aigc was added to, and keeps the one builder for it.</summary>
internal sealed class AigcMarkerService(AigcBuilder builder)
{
    public AigcBuilder Builder { get; } = builder;
}
