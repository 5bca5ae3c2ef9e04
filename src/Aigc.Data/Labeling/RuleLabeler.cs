namespace Aigc.Data;

/// <summary>Votes for one label when a predicate holds, and abstains otherwise.</summary>
/// <remarks>
/// A delegate cannot be fingerprinted: the labeler's <see cref="Name"/>, <see cref="LabelValue"/> and the
/// user-supplied <see cref="Version"/> go into its <see cref="Parameters"/> instead. Change the version whenever the
/// predicate's logic changes; otherwise a pipeline finds the version stored with the old logic and reuses it.
/// </remarks>
public sealed class RuleLabeler : ILabeler
{
    private readonly Func<DataRecord, bool> _predicate;

    /// <summary>Initializes a rule labeler.</summary>
    /// <param name="name">The labeler name.</param>
    /// <param name="predicate">Decides whether the record gets <paramref name="label"/>; must be thread-safe.</param>
    /// <param name="label">The label voted for when the predicate holds.</param>
    /// <param name="version">The version of the predicate's logic, recorded in the fingerprint: change it when the logic changes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/>, <paramref name="label"/> or <paramref name="version"/> is empty.</exception>
    public RuleLabeler(string name, Func<DataRecord, bool> predicate, string label, string version = "1")
    {
        LabelerNames.Validate(name, nameof(name));
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Name = name;
        LabelValue = label;
        Version = version;
        _predicate = predicate;
        Parameters = new StepParameters().Add("kind", "rule").Add("label", label).Add("version", version);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the label voted for when the predicate holds.</summary>
    public string LabelValue { get; }

    /// <summary>Gets the user-supplied version of the predicate's logic.</summary>
    public string Version { get; }

    /// <inheritdoc />
    /// <remarks>Keys: <c>kind</c> (<c>rule</c>), <c>label</c> and <c>version</c>.</remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public string? Label(DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _predicate(record) ? LabelValue : null;
    }
}
