namespace Aigc.Data;

/// <summary>
/// The fields a step works on: every field of a record when no names were given, otherwise the named ones. A snapshot
/// taken when the step is built, so later changes to the options do not change a step whose parameters are recorded.
/// </summary>
internal sealed class FieldSelector
{
    private readonly string[] _names;

    /// <summary>Initializes a selector from the names in a step's options.</summary>
    /// <param name="names">The field names (empty for every field).</param>
    /// <param name="parameterName">The options property, for the exception.</param>
    /// <exception cref="ArgumentException">A name is null or empty.</exception>
    public FieldSelector(IEnumerable<string>? names, string parameterName)
    {
        var list = new List<string>();
        if (names is not null)
        {
            foreach (var name in names)
            {
                if (string.IsNullOrEmpty(name))
                {
                    throw new ArgumentException("Field names must not be null or empty; list the field names to work on, or none for every field.", parameterName);
                }

                if (!list.Contains(name, StringComparer.Ordinal))
                {
                    list.Add(name);
                }
            }
        }

        _names = [.. list];
    }

    /// <summary>Gets whether the step works on every field.</summary>
    public bool IsAll => _names.Length == 0;

    /// <summary>Gets the selected names (empty when <see cref="IsAll"/>).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Returns whether the step works on a field of this name.</summary>
    /// <param name="name">The field name.</param>
    /// <returns><see langword="true"/> when the field is selected.</returns>
    public bool Includes(string name)
    {
        if (_names.Length == 0)
        {
            return true;
        }

        foreach (var selected in _names)
        {
            if (string.Equals(selected, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the canonical parameter value: the names joined with <c>,</c>, or <c>*</c> for every field.</summary>
    /// <returns>The parameter value.</returns>
    public string ToParameter() => _names.Length == 0 ? "*" : string.Join(',', _names);

    /// <summary>
    /// Returns the text of the selected fields joined with a newline (the record's whole text when every field is
    /// selected); named fields the record lacks are skipped.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <returns>The text.</returns>
    public string GetText(DataRecord record)
    {
        if (_names.Length == 0)
        {
            return record.GetText();
        }

        string? single = null;
        System.Text.StringBuilder? builder = null;
        foreach (var field in record.Fields)
        {
            if (!Includes(field.Name))
            {
                continue;
            }

            if (single is null)
            {
                single = field.Value;
            }
            else
            {
                builder ??= new System.Text.StringBuilder(single);
                builder.Append('\n').Append(field.Value);
            }
        }

        return builder?.ToString() ?? single ?? string.Empty;
    }
}
