namespace Aigc.Data;

/// <summary>
/// A named programmatic labeler (a weak-supervision labeling function): looks at one record and votes for a label
/// of one label set, or abstains. <see cref="LabelStep"/> combines the votes of several labelers by majority.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe and deterministic: the same record always gets the same vote.
/// <see cref="Parameters"/> is part of the dataset fingerprint, so it must change whenever the votes can change.
/// </remarks>
public interface ILabeler
{
    /// <summary>Gets the labeler's name, unique within a <see cref="LabelStep"/> (votes are recorded under it).</summary>
    string Name { get; }

    /// <summary>Gets the labeler's canonical parameters (see <see cref="StepParameters"/>), recorded in the fingerprint.</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Votes for a label of <paramref name="record"/>.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The label, or <see langword="null"/> to abstain.</returns>
    string? Label(DataRecord record);
}
