namespace Aigc.Data;

/// <summary>Settings of <see cref="EmptyFieldStep"/>.</summary>
public sealed class EmptyFieldOptions
{
    /// <summary>
    /// Gets the rules for named fields (field name → rule). A named field is also checked when the record lacks it:
    /// <see cref="EmptyFieldRule.Reject"/> rejects with <c>field 'name' is missing</c>, <see cref="EmptyFieldRule.Default"/>
    /// adds it, <see cref="EmptyFieldRule.Drop"/> and <see cref="EmptyFieldRule.Keep"/> accept the absence.
    /// </summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, EmptyFieldRule> Rules { get; } = new Dictionary<string, EmptyFieldRule>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the rule for every field of a record that <see cref="Rules"/> does not name (only fields the record
    /// has: an unnamed field cannot be missing). Set <see cref="EmptyFieldRule.Keep"/> to check only the named fields.
    /// </summary>
    /// <value>The default value is <see cref="EmptyFieldRule.Reject"/>.</value>
    public EmptyFieldRule DefaultRule { get; set; } = EmptyFieldRule.Reject;
}
