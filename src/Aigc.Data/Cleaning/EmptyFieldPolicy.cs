namespace Aigc.Data;

/// <summary>What <see cref="EmptyFieldStep"/> does with a field that is missing, empty or only white space.</summary>
public enum EmptyFieldPolicy
{
    /// <summary>Reject the record, with a reason such as <c>field 'output' is empty</c>.</summary>
    Reject = 0,

    /// <summary>Remove the empty field (for optional fields such as the Alpaca <c>input</c>); a missing field stays missing.</summary>
    Drop = 1,

    /// <summary>Fill the field with a default value (adding it at the end of the record when it is missing).</summary>
    Default = 2,

    /// <summary>Leave the field as it is.</summary>
    Keep = 3,
}
