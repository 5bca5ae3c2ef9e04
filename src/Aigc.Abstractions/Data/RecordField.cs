namespace Aigc;

/// <summary>
/// One named text field of a <see cref="DataRecord"/>: for example <c>instruction</c>, or one message of a
/// conversation named by its role. Steps that clean or rewrite text change <see cref="Value"/> in place.
/// </summary>
public sealed class RecordField
{
    private string _value;

    /// <summary>Initializes a new field.</summary>
    /// <param name="name">The field name (a canonical field name of the record's kind, or a role for chat messages).</param>
    /// <param name="value">The field's text.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public RecordField(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        _value = value;
    }

    /// <summary>Gets the field name.</summary>
    public string Name { get; }

    /// <summary>Gets or sets the field's text.</summary>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    public string Value
    {
        get => _value;
        set => _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public override string ToString() => Name + ": " + Value;
}
