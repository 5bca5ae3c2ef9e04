namespace Aigc.Data;

/// <summary>A labeler backed by a delegate that returns a label or <see langword="null"/> to abstain.</summary>
/// <remarks>
/// A delegate cannot be fingerprinted: the labeler's <see cref="Name"/> and the user-supplied <see cref="Version"/>
/// go into its <see cref="Parameters"/> instead. Change the version whenever the delegate's logic changes; otherwise
/// a pipeline finds the version stored with the old logic and reuses it.
/// </remarks>
public sealed class DelegateLabeler : ILabeler
{
    private readonly Func<DataRecord, string?> _labeler;

    /// <summary>Initializes a delegate labeler.</summary>
    /// <param name="name">The labeler name.</param>
    /// <param name="labeler">Returns the record's label or <see langword="null"/>; must be thread-safe and deterministic.</param>
    /// <param name="version">The version of the delegate's logic, recorded in the fingerprint: change it when the logic changes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labeler"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="version"/> is empty.</exception>
    public DelegateLabeler(string name, Func<DataRecord, string?> labeler, string version = "1")
    {
        LabelerNames.Validate(name, nameof(name));
        ArgumentNullException.ThrowIfNull(labeler);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Name = name;
        Version = version;
        _labeler = labeler;
        Parameters = new StepParameters().Add("kind", "delegate").Add("version", version);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the user-supplied version of the delegate's logic.</summary>
    public string Version { get; }

    /// <inheritdoc />
    /// <remarks>Keys: <c>kind</c> (<c>delegate</c>) and <c>version</c>.</remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    /// <remarks>An empty or white-space label returned by the delegate counts as an abstention.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public string? Label(DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var label = _labeler(record);
        return string.IsNullOrWhiteSpace(label) ? null : label;
    }
}
