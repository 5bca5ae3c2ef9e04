namespace Aigc.Data;

/// <summary>A step's decision about one record: keep it, reject it with a reason, or drop it as a duplicate.</summary>
public readonly record struct StepDecision
{
    private StepDecision(StepOutcome outcome, string? reason)
    {
        Outcome = outcome;
        Reason = reason;
    }

    /// <summary>Gets the outcome.</summary>
    public StepOutcome Outcome { get; }

    /// <summary>Gets the reason of a rejection, or the surviving record's id for a duplicate (may be <see langword="null"/>).</summary>
    public string? Reason { get; }

    /// <summary>Gets the decision to keep the record.</summary>
    public static StepDecision Keep => default;

    /// <summary>Rejects the record.</summary>
    /// <param name="reason">Why, in words a person can act on.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null or empty.</exception>
    public static StepDecision Reject(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new StepDecision(StepOutcome.Reject, reason);
    }

    /// <summary>Drops the record as a duplicate.</summary>
    /// <param name="survivorId">The id of the record kept in its place, when known.</param>
    /// <returns>The decision.</returns>
    public static StepDecision Duplicate(string? survivorId = null) => new(StepOutcome.Duplicate, survivorId);
}
