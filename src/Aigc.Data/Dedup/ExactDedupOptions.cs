namespace Aigc.Data;

/// <summary>Settings of <see cref="ExactDedupStep"/>.</summary>
public sealed class ExactDedupOptions
{
    /// <summary>Gets or sets how the text is normalised before it is hashed.</summary>
    /// <value>The default value is <see cref="DedupNormalization.Default"/> (NFC, lower case, white space collapsed, trimmed).</value>
    public DedupNormalization Normalization { get; set; } = DedupNormalization.Default;

    /// <summary>
    /// Gets or sets whether the step remembers the id of the first record of each text, so each duplicate is
    /// reported with the id of the record kept in its place. Without it the step keeps only a set of 128-bit keys
    /// (about 30 bytes per distinct text); with it, also a reference to each survivor's id.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TrackSurvivorIds { get; set; }
}
