using System.Globalization;

namespace Aigc.Data;

/// <summary>Formatting shared by the filters' rejection reasons and parameters.</summary>
internal static class FilterFormat
{
    /// <summary>Formats a measured value or threshold: invariant culture, up to four decimals.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Formats an optional threshold for the step parameters: the round-trip number, or <c>off</c>.</summary>
    /// <param name="value">The threshold.</param>
    /// <returns>The text.</returns>
    public static string Threshold(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "off";

    /// <summary>Formats an optional integer threshold for the step parameters, or <c>off</c>.</summary>
    /// <param name="value">The threshold.</param>
    /// <returns>The text.</returns>
    public static string Threshold(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "off";

    /// <summary>Counts the code points of a text (Python's <c>len</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of code points (a surrogate pair counts once).</returns>
    public static int CodePoints(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }

    /// <summary>Counts non-overlapping occurrences of <paramref name="value"/> in <paramref name="text"/> (Python's <c>str.count</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The substring.</param>
    /// <returns>The count.</returns>
    public static int Occurrences(ReadOnlySpan<char> text, ReadOnlySpan<char> value)
    {
        var count = 0;
        while (true)
        {
            var at = text.IndexOf(value, StringComparison.Ordinal);
            if (at < 0)
            {
                return count;
            }

            count++;
            text = text[(at + value.Length)..];
        }
    }

    /// <summary>
    /// Turns a rule-based filter's verdict into a step decision: keeps the record when <paramref name="reason"/> is
    /// <see langword="null"/>, else counts <c>&lt;counterPrefix&gt;.&lt;rule&gt;</c> and rejects it with the reason.
    /// </summary>
    /// <param name="reason">The rejection reason, or <see langword="null"/> when the record passes.</param>
    /// <param name="rule">The rule that rejected it.</param>
    /// <param name="counterPrefix">The step's counter prefix (<c>gopher_quality</c>).</param>
    /// <param name="context">The step's context.</param>
    /// <returns>The decision.</returns>
    public static StepDecision Decide(string? reason, string? rule, string counterPrefix, DataStepContext context)
    {
        if (reason is null)
        {
            return StepDecision.Keep;
        }

        context.Increment(counterPrefix + "." + rule);
        return StepDecision.Reject(reason);
    }
}
