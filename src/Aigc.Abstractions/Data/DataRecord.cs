using System.Text;

namespace Aigc;

/// <summary>
/// One record of a dataset in a uniform shape: a <see cref="RecordKind"/>, an ordered list of named text
/// <see cref="Fields"/>, optional image path, labels and metadata, and where it came from.
/// </summary>
/// <remarks>
/// Every schema users arrive with maps onto this shape (see <see cref="RecordKind"/> for the field names), so a
/// cleaning, filtering or deduplication step works on any of them by walking <see cref="Fields"/>.
/// </remarks>
public sealed class DataRecord
{
    private Dictionary<string, string>? _labels;
    private Dictionary<string, string>? _metadata;

    /// <summary>Initializes an empty record of the given kind.</summary>
    /// <param name="kind">The record's schema.</param>
    /// <param name="id">The record's identifier, unique within its dataset.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public DataRecord(RecordKind kind, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Kind = kind;
        Id = id;
    }

    /// <summary>Gets or sets the record's identifier, unique within its dataset.</summary>
    public string Id { get; set; }

    /// <summary>Gets the record's schema.</summary>
    public RecordKind Kind { get; }

    /// <summary>Gets the record's text fields, in order.</summary>
    public IList<RecordField> Fields { get; } = new List<RecordField>(3);

    /// <summary>Gets or sets the image path of an <see cref="RecordKind.ImageCaption"/> record.</summary>
    public string? ImagePath { get; set; }

    /// <summary>Gets or sets where the record was read from, when it was read from a file.</summary>
    public RecordSource? Source { get; set; }

    /// <summary>Gets the record's labels (label set name → label), created on first use.</summary>
    public IDictionary<string, string> Labels => _labels ??= new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets whether the record has any label.</summary>
    public bool HasLabels => _labels is { Count: > 0 };

    /// <summary>Gets the record's free-form metadata (key → value), created on first use.</summary>
    public IDictionary<string, string> Metadata => _metadata ??= new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets whether the record has any metadata.</summary>
    public bool HasMetadata => _metadata is { Count: > 0 };

    /// <summary>Returns the value of the first field named <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The field's text, or <see langword="null"/> when the record has no such field.</returns>
    public string? GetField(string name)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field.Value;
            }
        }

        return null;
    }

    /// <summary>Sets the first field named <paramref name="name"/>, adding it when the record has none.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The field's text.</param>
    /// <returns>This record, for chaining.</returns>
    public DataRecord SetField(string name, string value)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                field.Value = value;
                return this;
            }
        }

        Fields.Add(new RecordField(name, value));
        return this;
    }

    /// <summary>Adds a field at the end (for chat records: the next message, named by its role).</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The field's text.</param>
    /// <returns>This record, for chaining.</returns>
    public DataRecord AddField(string name, string value)
    {
        Fields.Add(new RecordField(name, value));
        return this;
    }

    /// <summary>
    /// Returns the record's text as one string: the field values joined with a newline, in order. This is what
    /// quality filters and deduplication look at.
    /// </summary>
    /// <returns>The joined text (empty when the record has no fields).</returns>
    public string GetText()
    {
        switch (Fields.Count)
        {
            case 0:
                return string.Empty;
            case 1:
                return Fields[0].Value;
            default:
                var length = Fields.Count - 1;
                foreach (var field in Fields)
                {
                    length += field.Value.Length;
                }

                var builder = new StringBuilder(length);
                for (var i = 0; i < Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append('\n');
                    }

                    builder.Append(Fields[i].Value);
                }

                return builder.ToString();
        }
    }

    /// <summary>Returns a deep copy of the record (fields, labels and metadata are copied).</summary>
    /// <returns>The copy.</returns>
    public DataRecord Clone()
    {
        var copy = new DataRecord(Kind, Id) { ImagePath = ImagePath, Source = Source };
        foreach (var field in Fields)
        {
            copy.Fields.Add(new RecordField(field.Name, field.Value));
        }

        if (HasLabels)
        {
            foreach (var (key, value) in _labels!)
            {
                copy.Labels[key] = value;
            }
        }

        if (HasMetadata)
        {
            foreach (var (key, value) in _metadata!)
            {
                copy.Metadata[key] = value;
            }
        }

        return copy;
    }

    /// <summary>Creates a plain-text record.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="text">The text.</param>
    /// <returns>The record.</returns>
    public static DataRecord CreateText(string id, string text) => new DataRecord(RecordKind.Text, id).AddField(FieldNames.Text, text);

    /// <summary>Creates an Alpaca instruction record.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="instruction">The instruction.</param>
    /// <param name="input">The optional input (empty when there is none).</param>
    /// <param name="output">The expected output.</param>
    /// <returns>The record.</returns>
    public static DataRecord CreateInstruction(string id, string instruction, string input, string output) =>
        new DataRecord(RecordKind.Instruction, id)
            .AddField(FieldNames.Instruction, instruction)
            .AddField(FieldNames.Input, input)
            .AddField(FieldNames.Output, output);

    /// <summary>Creates a chat record from (role, content) messages.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="messages">The messages, in order.</param>
    /// <returns>The record.</returns>
    public static DataRecord CreateChat(string id, params IEnumerable<(string Role, string Content)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var record = new DataRecord(RecordKind.Chat, id);
        foreach (var (role, content) in messages)
        {
            record.AddField(role, content);
        }

        return record;
    }

    /// <summary>Creates a preference record.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="chosen">The preferred answer.</param>
    /// <param name="rejected">The dispreferred answer.</param>
    /// <returns>The record.</returns>
    public static DataRecord CreatePreference(string id, string prompt, string chosen, string rejected) =>
        new DataRecord(RecordKind.Preference, id)
            .AddField(FieldNames.Prompt, prompt)
            .AddField(FieldNames.Chosen, chosen)
            .AddField(FieldNames.Rejected, rejected);

    /// <summary>Creates an image-caption record.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="imagePath">The image path.</param>
    /// <param name="caption">The caption.</param>
    /// <returns>The record.</returns>
    public static DataRecord CreateImageCaption(string id, string imagePath, string caption) =>
        new DataRecord(RecordKind.ImageCaption, id) { ImagePath = imagePath }.AddField(FieldNames.Caption, caption);
}
