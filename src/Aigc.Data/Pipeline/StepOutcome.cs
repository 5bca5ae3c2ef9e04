namespace Aigc.Data;

/// <summary>What a step decided about a record.</summary>
public enum StepOutcome
{
    /// <summary>The record goes on to the next step.</summary>
    Keep = 0,

    /// <summary>The record is dropped with a reason and written to the rejects file.</summary>
    Reject = 1,

    /// <summary>The record is dropped as a duplicate of another.</summary>
    Duplicate = 2,
}
