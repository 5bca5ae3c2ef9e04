namespace Aigc;

/// <summary>
/// A record dropped by a reader or a step, as written to a dataset version's <c>rejects.jsonl</c>: a rejected record,
/// or a duplicate (<see cref="DuplicateOf"/> names the record kept in its place, when the step knows it).
/// </summary>
/// <param name="Step">The reader or step that dropped it, for example <c>read.jsonl</c> or <c>filter.gopher-quality</c>.</param>
/// <param name="Reason">Why, in words a person can act on (for example <c>invalid JSON: ',' expected at byte 17</c>).</param>
/// <param name="Original">The original record: the raw line, or the record serialized as JSON when it was parsed.</param>
public sealed record RejectedRecord(string Step, string Reason, string Original)
{
    /// <summary>The reason of a duplicate (followed by <c>of &lt;survivor id&gt;</c> when the step knows it).</summary>
    public const string DuplicateReason = "duplicate";

    /// <summary>Gets the source file the record came from, when known.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Gets the 1-based line or row in <see cref="SourceFile"/>, when known.</summary>
    public long? Line { get; init; }

    /// <summary>Gets the record's identifier, when it was parsed.</summary>
    public string? RecordId { get; init; }

    /// <summary>Gets whether the record was dropped as a duplicate (counted as deduplicated, not rejected).</summary>
    public bool Duplicate { get; init; }

    /// <summary>Gets the id of the record kept in a duplicate's place, when the step knows it.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>Creates the entry of a record dropped as a duplicate: reason <c>duplicate</c>, or <c>duplicate of &lt;id&gt;</c> when the survivor is known.</summary>
    /// <param name="step">The step that dropped it.</param>
    /// <param name="original">The record as it was dropped.</param>
    /// <param name="survivorId">The id of the record kept in its place, when known.</param>
    /// <returns>The entry, with <see cref="Duplicate"/> set.</returns>
    public static RejectedRecord ForDuplicate(string step, string original, string? survivorId) =>
        new(step, survivorId is null ? DuplicateReason : $"{DuplicateReason} of {survivorId}", original) { Duplicate = true, DuplicateOf = survivorId };
}
