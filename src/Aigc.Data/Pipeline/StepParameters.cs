using System.Collections;
using System.Globalization;

namespace Aigc.Data;

/// <summary>
/// A step's parameters in canonical form: keys sorted ordinally, values formatted with the invariant culture
/// (numbers round-trip, booleans <c>true</c>/<c>false</c>, lists joined with <c>,</c> in the given order), so equal
/// settings always produce the same fingerprint.
/// </summary>
public sealed class StepParameters : IReadOnlyDictionary<string, string>
{
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Gets an empty parameter set.</summary>
    public static IReadOnlyDictionary<string, string> None { get; } = new StepParameters();

    /// <summary>Adds a string parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value (<see langword="null"/> is recorded as an empty string).</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _values[name] = value ?? string.Empty;
        return this;
    }

    /// <summary>Adds an integer parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters Add(string name, long value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a floating-point parameter, formatted so that it round-trips.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters Add(string name, double value) => Add(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>Adds a list parameter, joined with <c>,</c> in the given order.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="values">The values.</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters Add(string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, string.Join(',', values));
    }

    /// <summary>Adds every parameter of another set.</summary>
    /// <param name="parameters">The parameters to copy.</param>
    /// <returns>This instance, for chaining.</returns>
    public StepParameters AddAll(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters)
        {
            Add(key, value);
        }

        return this;
    }

    /// <inheritdoc />
    public string this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
