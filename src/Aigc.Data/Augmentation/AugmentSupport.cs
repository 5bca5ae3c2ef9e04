using System.Runtime.CompilerServices;
using System.Globalization;

namespace Aigc.Data;

/// <summary>What the augmentation steps share: field selection, copy creation, options validation.</summary>
internal static class AugmentSupport
{
    /// <summary>The parameter value recorded when a step uses the pipeline's seed.</summary>
    public const string PipelineSeed = "pipeline";

    private static readonly string[] s_text = [FieldNames.Text];
    private static readonly string[] s_instruction = [FieldNames.Instruction, FieldNames.Input];
    private static readonly string[] s_chat = [FieldNames.User];
    private static readonly string[] s_preference = [FieldNames.Prompt];
    private static readonly string[] s_caption = [FieldNames.Caption];

    /// <summary>Returns the field names a text step augments by default for a kind.</summary>
    /// <param name="kind">The record kind.</param>
    /// <returns>
    /// Text: <c>text</c>; Instruction: <c>instruction</c> and <c>input</c> (not the output, whose facts must stay
    /// exact); Chat: <c>user</c> messages; Preference: <c>prompt</c> (both answers stay as judged); ImageCaption:
    /// <c>caption</c>.
    /// </returns>
    public static string[] DefaultFields(RecordKind kind) => kind switch
    {
        RecordKind.Text => s_text,
        RecordKind.Instruction => s_instruction,
        RecordKind.Chat => s_chat,
        RecordKind.Preference => s_preference,
        RecordKind.ImageCaption => s_caption,
        _ => s_text,
    };

    /// <summary>Returns whether a field is augmented.</summary>
    /// <param name="kind">The record kind.</param>
    /// <param name="fieldName">The field name.</param>
    /// <param name="configured">The configured field names (empty for the defaults of the kind).</param>
    /// <returns>Whether the field is augmented.</returns>
    public static bool IsTarget(RecordKind kind, string fieldName, string[] configured)
    {
        var names = configured.Length == 0 ? DefaultFields(kind) : configured;
        foreach (var name in names)
        {
            if (string.Equals(name, fieldName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies the configured field names, checking none is empty.</summary>
    /// <param name="fields">The configured names.</param>
    /// <param name="errors">Receives a message per problem.</param>
    /// <returns>The names.</returns>
    public static string[] CopyFields(IList<string>? fields, List<string> errors)
    {
        if (fields is null)
        {
            return [];
        }

        var copy = new string[fields.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(fields[i]))
            {
                errors.Add($"Fields[{i}] is empty.");
            }

            copy[i] = fields[i] ?? string.Empty;
        }

        return copy;
    }

    /// <summary>The canonical <c>fields</c> parameter: the names, or <c>default</c>.</summary>
    /// <param name="fields">The configured names.</param>
    /// <returns>The parameter value.</returns>
    public static string FieldsParameter(string[] fields) => fields.Length == 0 ? "default" : string.Join(',', fields);

    /// <summary>The canonical <c>seed</c> parameter: the step's own seed, or <c>pipeline</c>.</summary>
    /// <param name="seed">The step's own seed.</param>
    /// <returns>The parameter value.</returns>
    public static string SeedParameter(int? seed) => seed?.ToString(CultureInfo.InvariantCulture) ?? PipelineSeed;

    /// <summary>Returns the first copy number a step uses for a record: one more than the highest an earlier step used.</summary>
    /// <param name="record">The original.</param>
    /// <returns>The first copy number, from 1.</returns>
    public static int FirstCopyNumber(DataRecord record) =>
        record.HasMetadata
        && record.Metadata.TryGetValue(AugmentMetadataKeys.LastCopy, out var last)
        && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number + 1
            : 1;

    /// <summary>Records on the original the highest copy number a step used, so later steps number on from it.</summary>
    /// <param name="record">The original.</param>
    /// <param name="last">The highest copy number used.</param>
    public static void ReserveCopyNumbers(DataRecord record, int last) =>
        record.Metadata[AugmentMetadataKeys.LastCopy] = last.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates copy <paramref name="copy"/> of a record: a deep clone with the copy id and the augmentation metadata.</summary>
    /// <param name="record">The original.</param>
    /// <param name="copy">The copy number (see <see cref="FirstCopyNumber"/>).</param>
    /// <param name="method">How the copy is made.</param>
    /// <returns>The copy.</returns>
    public static DataRecord CreateCopy(DataRecord record, int copy, string method)
    {
        var clone = record.Clone();
        clone.Id = AugmentMetadataKeys.CopyId(record.Id, copy);
        clone.Metadata.Remove(AugmentMetadataKeys.LastCopy);
        clone.Metadata[AugmentMetadataKeys.Source] = record.Id;
        clone.Metadata[AugmentMetadataKeys.Method] = method;
        return clone;
    }

    /// <summary>Returns whether <paramref name="text"/> equals the original's or an earlier copy's text.</summary>
    /// <param name="text">The copy's text.</param>
    /// <param name="original">The original's text.</param>
    /// <param name="earlier">The texts of earlier copies of the same record.</param>
    /// <returns>Whether the copy adds nothing.</returns>
    public static bool IsRepeat(string text, string original, List<string> earlier)
    {
        if (string.Equals(text, original, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var other in earlier)
        {
            if (string.Equals(text, other, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds an error when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>] or not a number.</summary>
    /// <param name="errors">The errors.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The value.</param>
    /// <param name="min">The inclusive minimum.</param>
    /// <param name="max">The inclusive maximum.</param>
    public static void CheckRange(List<string> errors, string name, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; it must be between {min} and {max}."));
        }
    }

    /// <summary>Adds an error when <paramref name="value"/> is not in (0, <paramref name="max"/>].</summary>
    /// <param name="errors">The errors.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The value.</param>
    /// <param name="max">The inclusive maximum.</param>
    public static void CheckPositive(List<string> errors, string name, double value, double max)
    {
        if (double.IsNaN(value) || value <= 0 || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; it must be greater than 0 and at most {max}."));
        }
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every error, when there is any.</summary>
    /// <param name="errors">The errors.</param>
    /// <param name="optionsType">The options type name.</param>
    /// <param name="parameterName">The parameter that carried the options.</param>
    public static void ThrowIfAny(List<string> errors, string optionsType, string parameterName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {optionsType}: " + string.Join(" ", errors), parameterName);
        }
    }

    /// <summary>
    /// Yields each record followed by the copies <paramref name="augment"/> put in <paramref name="copies"/> for it. The
    /// copies are made before the original is yielded: later steps may change it in place.
    /// </summary>
    /// <param name="records">The records.</param>
    /// <param name="copies">The list <paramref name="augment"/> fills with a record's copies (cleared by it).</param>
    /// <param name="augment">Makes the copies of one record.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records and their copies.</returns>
    public static async IAsyncEnumerable<DataRecord> WithCopiesAsync(
        IAsyncEnumerable<DataRecord> records,
        List<DataRecord> copies,
        Action<DataRecord> augment,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            augment(record);
            yield return record;
            foreach (var copy in copies)
            {
                yield return copy;
            }
        }
    }
}
