namespace Aigc;

/// <summary>How many records a dataset version read, kept, rejected and removed as duplicates.</summary>
/// <remarks>The counts always reconcile: <c>In + Added = Kept + Rejected + Deduplicated</c>.</remarks>
public sealed record DatasetCounts
{
    /// <summary>Gets the number of records read from the sources.</summary>
    public long In { get; init; }

    /// <summary>Gets the number of records written to the version.</summary>
    public long Kept { get; init; }

    /// <summary>Gets the number of records dropped with a reason (written to <c>rejects.jsonl</c>).</summary>
    public long Rejected { get; init; }

    /// <summary>Gets the number of records removed as exact or near duplicates.</summary>
    public long Deduplicated { get; init; }

    /// <summary>Gets the number of records steps created (augmented copies, for example).</summary>
    public long Added { get; init; }

    /// <summary>Gets whether <see cref="In"/> + <see cref="Added"/> equals <see cref="Kept"/> + <see cref="Rejected"/> + <see cref="Deduplicated"/>.</summary>
    public bool Reconciles => In + Added == Kept + Rejected + Deduplicated;
}
