using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace Aigc.Data;

/// <summary>
/// Rejects records whose text is shorter or longer than the bounds (id <c>filter.length</c>), counted in words
/// (CJK-aware), characters (text elements) or tokens of a <see cref="Tokenizer"/>. The reason gives the measured
/// length and the bound, for example <c>3 words &lt; minimum 5</c> or <c>field 'output': 2100 tokens &gt; maximum 2048</c>.
/// </summary>
public sealed class LengthFilterStep : RecordStep
{
    private readonly FieldSelector _fields;
    private readonly LengthUnit _unit;
    private readonly int _minimum;
    private readonly int? _maximum;
    private readonly bool _perField;
    private readonly Tokenizer? _tokenizer;
    private readonly string _unitName;

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The settings are invalid (the message lists every problem): a negative minimum, a maximum below the minimum, an
    /// undefined unit, an empty field name, or <see cref="LengthUnit.Tokens"/> without a tokenizer and its name.
    /// </exception>
    public LengthFilterStep(LengthFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Unit))
        {
            errors.Add($"Unit {options.Unit} is not a defined LengthUnit; use Words, Characters or Tokens.");
        }

        if (options.Minimum < 0)
        {
            errors.Add($"Minimum is {options.Minimum}; it must be 0 or more.");
        }

        if (options.Maximum is { } max && max < options.Minimum)
        {
            errors.Add($"Maximum {max} is below Minimum {options.Minimum}.");
        }

        if (options.Unit == LengthUnit.Tokens && (options.Tokenizer is null || string.IsNullOrWhiteSpace(options.TokenizerName)))
        {
            errors.Add("Unit Tokens needs Tokenizer (for example TiktokenTokenizer.CreateForModel(\"gpt2\")) and TokenizerName (for example \"gpt2\").");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid LengthFilterOptions: " + string.Join(" ", errors), nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _unit = options.Unit;
        _minimum = options.Minimum;
        _maximum = options.Maximum;
        _perField = options.PerField;
        _tokenizer = _unit == LengthUnit.Tokens ? options.Tokenizer : null;
        _unitName = _unit switch
        {
            LengthUnit.Words => "words",
            LengthUnit.Characters => "characters",
            _ => "tokens",
        };
        Parameters = new StepParameters()
            .Add("fields", _fields.ToParameter())
            .Add("unit", _unitName)
            .Add("minimum", _minimum)
            .Add("maximum", _maximum is { } m ? m.ToString(CultureInfo.InvariantCulture) : "none")
            .Add("per_field", _perField)
            .Add("tokenizer", _unit == LengthUnit.Tokens ? options.TokenizerName : string.Empty);
    }

    /// <inheritdoc />
    public override string Id => "filter.length";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Measures one text in this step's unit.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its length in words, characters or tokens.</returns>
    public int Measure(ReadOnlySpan<char> text) => _unit switch
    {
        LengthUnit.Words => TextSegmenter.CountWords(text),
        LengthUnit.Characters => TextSegmenter.CountTextElements(text),
        _ => text.IsEmpty ? 0 : _tokenizer!.CountTokens(text),
    };

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (_perField)
        {
            if (_fields.IsAll)
            {
                if (record.Fields.Count == 0)
                {
                    return Check(0, null);
                }

                foreach (var field in record.Fields)
                {
                    var decision = Check(Measure(field.Value), field.Name);
                    if (decision.Outcome != StepOutcome.Keep)
                    {
                        return decision;
                    }
                }

                return StepDecision.Keep;
            }

            foreach (var name in _fields.Names)
            {
                var found = false;
                foreach (var field in record.Fields)
                {
                    if (string.Equals(field.Name, name, StringComparison.Ordinal))
                    {
                        found = true;
                        var decision = Check(Measure(field.Value), name);
                        if (decision.Outcome != StepOutcome.Keep)
                        {
                            return decision;
                        }
                    }
                }

                if (!found)
                {
                    var decision = Check(0, name);
                    if (decision.Outcome != StepOutcome.Keep)
                    {
                        return decision;
                    }
                }
            }

            return StepDecision.Keep;
        }

        long total = 0;
        foreach (var field in record.Fields)
        {
            if (_fields.Includes(field.Name))
            {
                total += Measure(field.Value);
            }
        }

        return Check(total, null);
    }

    private StepDecision Check(long length, string? field)
    {
        if (length < _minimum)
        {
            return StepDecision.Reject(Prefix(field) + $"{length} {_unitName} < minimum {_minimum}");
        }

        if (_maximum is { } max && length > max)
        {
            return StepDecision.Reject(Prefix(field) + $"{length} {_unitName} > maximum {max}");
        }

        return StepDecision.Keep;
    }

    private static string Prefix(string? field) => field is null ? string.Empty : $"field '{field}': ";
}
