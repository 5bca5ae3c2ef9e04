namespace Aigc;

/// <summary>Where a model version is in its life: reserved, usable, or given up.</summary>
public enum ModelVersionStatus
{
    /// <summary>The version number is reserved (for example while training runs); it has no files yet.</summary>
    Pending = 0,

    /// <summary>The version's files are stored and verified; it can be served and aliased.</summary>
    Ready = 1,

    /// <summary>Producing the version failed; <see cref="ModelVersion.StatusMessage"/> says why.</summary>
    Failed = 2,
}
