namespace Aigc.Data;

/// <summary>The policy of <see cref="EmptyFieldStep"/> for one field: a <see cref="EmptyFieldPolicy"/> and, for <see cref="EmptyFieldPolicy.Default"/>, the value.</summary>
public sealed class EmptyFieldRule
{
    private EmptyFieldRule(EmptyFieldPolicy policy, string? defaultValue)
    {
        Policy = policy;
        DefaultValue = defaultValue;
    }

    /// <summary>Gets the rule that rejects a record whose field is missing or empty.</summary>
    public static EmptyFieldRule Reject { get; } = new(EmptyFieldPolicy.Reject, null);

    /// <summary>Gets the rule that removes an empty field.</summary>
    public static EmptyFieldRule Drop { get; } = new(EmptyFieldPolicy.Drop, null);

    /// <summary>Gets the rule that leaves a missing or empty field alone.</summary>
    public static EmptyFieldRule Keep { get; } = new(EmptyFieldPolicy.Keep, null);

    /// <summary>Gets the policy.</summary>
    public EmptyFieldPolicy Policy { get; }

    /// <summary>Gets the value a missing or empty field is set to under <see cref="EmptyFieldPolicy.Default"/>; otherwise <see langword="null"/>.</summary>
    public string? DefaultValue { get; }

    /// <summary>Returns the rule that fills a missing or empty field with <paramref name="value"/>.</summary>
    /// <param name="value">The value, which must not be empty or white space (the field would still be empty).</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public static EmptyFieldRule Default(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return new EmptyFieldRule(EmptyFieldPolicy.Default, value);
    }

    /// <summary>Returns the rule's canonical form for step parameters: <c>reject</c>, <c>drop</c>, <c>keep</c> or <c>default:</c> followed by the value.</summary>
    /// <returns>The canonical form.</returns>
    public override string ToString() => Policy switch
    {
        EmptyFieldPolicy.Reject => "reject",
        EmptyFieldPolicy.Drop => "drop",
        EmptyFieldPolicy.Keep => "keep",
        _ => "default:" + DefaultValue,
    };
}
