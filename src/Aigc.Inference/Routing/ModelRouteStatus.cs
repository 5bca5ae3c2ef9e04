namespace Aigc.Inference;

/// <summary>The state of one route of a <see cref="ModelRouter{TModel}"/>.</summary>
public sealed record ModelRouteStatus
{
    /// <summary>Gets the route's target, for example <c>models:/writer@champion</c>.</summary>
    public required string Target { get; init; }

    /// <summary>Gets the route's weight (0 for the shadow route).</summary>
    public double Weight { get; init; }

    /// <summary>Gets a value indicating whether this is the shadow route.</summary>
    public bool IsShadow { get; init; }

    /// <summary>Gets the version serving the route now, or <see langword="null"/> while none has loaded.</summary>
    public ModelVersion? ServingVersion { get; init; }

    /// <summary>Gets the version the route should serve (where its alias points), or <see langword="null"/> when unknown or removed.</summary>
    public int? DesiredVersion { get; init; }

    /// <summary>Gets the version that last failed to load on this route, or <see langword="null"/>.</summary>
    public int? FailedVersion { get; init; }

    /// <summary>Gets why it failed, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets how many times in a row <see cref="FailedVersion"/> failed.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets when the router tries <see cref="FailedVersion"/> again while the alias still points at it, or <see langword="null"/>.</summary>
    public DateTimeOffset? NextRetryAt { get; init; }
}
