using System.Globalization;

namespace Aigc.Monitoring;

/// <summary>The value of a piece of feedback: a number, a category or a boolean.</summary>
public readonly record struct FeedbackValue
{
    private FeedbackValue(FeedbackValueKind kind, double? number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    /// <summary>Gets the data type.</summary>
    public FeedbackValueKind Kind { get; }

    /// <summary>Gets the number of a numeric value, or 1/0 for a boolean; <see langword="null"/> for a category.</summary>
    public double? Number { get; }

    /// <summary>Gets the label of a categorical value; <see langword="null"/> otherwise.</summary>
    public string? Text { get; }

    /// <summary>Gets the value of a boolean, or <see langword="null"/> for other kinds.</summary>
    public bool? AsBoolean => Kind == FeedbackValueKind.Boolean ? Number > 0.5 : null;

    /// <summary>Creates a numeric value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite.</exception>
    public static FeedbackValue Numeric(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A numeric feedback value must be a finite number.");
        }

        return new FeedbackValue(FeedbackValueKind.Numeric, value, null);
    }

    /// <summary>Creates a categorical value.</summary>
    /// <param name="label">The label.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="label"/> is null or empty.</exception>
    public static FeedbackValue Categorical(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return new FeedbackValue(FeedbackValueKind.Categorical, null, label);
    }

    /// <summary>Creates a boolean value (stored as 1 or 0).</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static FeedbackValue Boolean(bool value) => new(FeedbackValueKind.Boolean, value ? 1.0 : 0.0, null);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FeedbackValueKind.Categorical => Text!,
        FeedbackValueKind.Boolean => AsBoolean == true ? "true" : "false",
        _ => Number?.ToString("G", CultureInfo.InvariantCulture) ?? string.Empty,
    };

    internal static FeedbackValue FromStorage(FeedbackValueKind kind, double? number, string? text) => kind switch
    {
        FeedbackValueKind.Numeric => Numeric(number ?? throw new InvalidOperationException("A stored numeric feedback value has no number.")),
        FeedbackValueKind.Boolean => Boolean(number > 0.5),
        _ => Categorical(text ?? throw new InvalidOperationException("A stored categorical feedback value has no label.")),
    };
}
