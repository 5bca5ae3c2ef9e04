namespace Aigc.Integration.Tests;

/// <summary>
/// The serving hosts' tests run one class at a time: the OpenTelemetry meter and tracer providers they build listen
/// to every <c>Aigc.*</c> meter and source in the process, so another host's traffic would be counted too.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServingCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serving hosts";
}
