namespace Aigc;

/// <summary>Names one version of a dataset: used for lineage (a dataset's parents, a model's training data).</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="Fingerprint">The version's content fingerprint (hex SHA-256).</param>
public sealed record DatasetReference(string Name, int Version, string Fingerprint)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}/{Version} ({Fingerprint[..Math.Min(12, Fingerprint.Length)]})";
}
