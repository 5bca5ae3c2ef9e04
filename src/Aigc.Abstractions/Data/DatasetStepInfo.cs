namespace Aigc;

/// <summary>One pipeline step as recorded in a dataset manifest.</summary>
/// <param name="Id">The step's stable identifier, for example <c>clean.normalize</c>.</param>
/// <param name="Version">The step implementation's version; a change of behaviour bumps it.</param>
/// <param name="Parameters">The step's canonical parameters (sorted keys, invariant formatting).</param>
public sealed record DatasetStepInfo(string Id, int Version, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Gets how many records entered the step.</summary>
    public long In { get; init; }

    /// <summary>Gets how many records left the step.</summary>
    public long Out { get; init; }

    /// <summary>Gets how many records the step rejected.</summary>
    public long Rejected { get; init; }

    /// <summary>Gets how many records the step created (augmented copies, for example).</summary>
    public long Added { get; init; }

    /// <summary>Gets how many records the step removed as duplicates.</summary>
    public long Deduplicated { get; init; }
}
