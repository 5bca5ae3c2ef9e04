using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aigc.Data;

/// <summary>
/// Labels records with regular expressions: an ordered list of <c>pattern → label</c> rules, the first rule whose
/// pattern matches wins; no match abstains.
/// </summary>
/// <remarks>
/// The patterns are matched against the fields named <see cref="Field"/> (every field of that name, so a chat
/// record's user messages can be matched with <c>user</c>), or against <see cref="DataRecord.GetText"/> when no
/// field is given. The patterns come from configuration but the text is data: pass
/// <see cref="RegexOptions.NonBacktracking"/> when patterns could backtrack catastrophically.
/// </remarks>
public sealed class RegexLabeler : ILabeler
{
    private readonly Regex[] _patterns;
    private readonly string[] _labels;

    /// <summary>Initializes a regex labeler.</summary>
    /// <param name="name">The labeler name.</param>
    /// <param name="rules">The rules, in order: pattern → label.</param>
    /// <param name="field">The field to match, or <see langword="null"/> to match the record's whole text.</param>
    /// <param name="options">The regex options; <see cref="RegexOptions.CultureInvariant"/> is always added.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or has white space, there are no rules, a label is empty, a pattern is invalid,
    /// or <paramref name="field"/> is empty.
    /// </exception>
    public RegexLabeler(string name, IEnumerable<KeyValuePair<string, string>> rules, string? field = null, RegexOptions options = RegexOptions.None)
    {
        LabelerNames.Validate(name, nameof(name));
        ArgumentNullException.ThrowIfNull(rules);
        if (field is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(field);
        }

        options |= RegexOptions.CultureInvariant;
        var patterns = new List<Regex>();
        var labels = new List<string>();
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (pattern, label) in rules)
            {
                if (string.IsNullOrEmpty(pattern))
                {
                    throw new ArgumentException($"Rule {patterns.Count + 1} of labeler '{name}' has an empty pattern.", nameof(rules));
                }

                if (string.IsNullOrWhiteSpace(label))
                {
                    throw new ArgumentException($"Rule {patterns.Count + 1} ('{pattern}') of labeler '{name}' has an empty label.", nameof(rules));
                }

                try
                {
                    patterns.Add(new Regex(pattern, options));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"Rule {patterns.Count + 1} of labeler '{name}' has an invalid pattern '{pattern}': {e.Message}", nameof(rules), e);
                }

                labels.Add(label);
                writer.WriteStartArray();
                writer.WriteStringValue(pattern);
                writer.WriteStringValue(label);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        if (patterns.Count == 0)
        {
            throw new ArgumentException($"Labeler '{name}' has no rules; give at least one pattern → label rule.", nameof(rules));
        }

        Name = name;
        Field = field;
        Options = options;
        _patterns = [.. patterns];
        _labels = [.. labels];
        Parameters = new StepParameters()
            .Add("kind", "regex")
            .Add("field", field ?? string.Empty)
            .Add("options", options.ToString())
            .Add("rules", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the field matched, or <see langword="null"/> when the whole text is matched.</summary>
    public string? Field { get; }

    /// <summary>Gets the regex options the patterns were compiled with.</summary>
    public RegexOptions Options { get; }

    /// <summary>Gets the number of rules.</summary>
    public int RuleCount => _patterns.Length;

    /// <inheritdoc />
    /// <remarks>Keys: <c>kind</c> (<c>regex</c>), <c>field</c>, <c>options</c> and <c>rules</c> (a JSON array of <c>[pattern, label]</c>).</remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public string? Label(DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Field is null)
        {
            var text = record.GetText();
            for (var i = 0; i < _patterns.Length; i++)
            {
                if (_patterns[i].IsMatch(text))
                {
                    return _labels[i];
                }
            }

            return null;
        }

        var fields = record.Fields;
        for (var i = 0; i < _patterns.Length; i++)
        {
            for (var f = 0; f < fields.Count; f++)
            {
                if (string.Equals(fields[f].Name, Field, StringComparison.Ordinal) && _patterns[i].IsMatch(fields[f].Value))
                {
                    return _labels[i];
                }
            }
        }

        return null;
    }
}
