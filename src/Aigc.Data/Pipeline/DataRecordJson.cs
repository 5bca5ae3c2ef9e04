using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// The canonical JSON form of a <see cref="DataRecord"/>, one object per JSONL line, in the shapes people
/// already use: <c>{"id","text"}</c>; Alpaca <c>{"id","instruction","input","output"}</c>; OpenAI
/// <c>{"id","messages":[{"role","content"}]}</c>; <c>{"id","prompt","chosen","rejected"}</c>;
/// <c>{"id","image","caption"}</c>; plus optional <c>labels</c> and <c>metadata</c> objects of strings.
/// </summary>
/// <remarks>
/// <see cref="Write"/> leaves non-ASCII BMP text (CJK) unescaped; Utf8JsonWriter's encoders still escape characters
/// outside the BMP (emoji) as surrogate pairs, which <see cref="Serialize"/> and the JSONL writers turn back into UTF-8.
/// </remarks>
public static class DataRecordJson
{
    /// <summary>The property holding the record id.</summary>
    public const string IdProperty = "id";

    /// <summary>The property holding a chat record's messages.</summary>
    public const string MessagesProperty = "messages";

    /// <summary>The property holding an image record's image path.</summary>
    public const string ImageProperty = "image";

    /// <summary>The property holding the labels object.</summary>
    public const string LabelsProperty = "labels";

    /// <summary>The property holding the metadata object.</summary>
    public const string MetadataProperty = "metadata";

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    internal static readonly JsonSerializerOptions ReportOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>Writes a record as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="record">The record.</param>
    public static void Write(Utf8JsonWriter writer, DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString(IdProperty, record.Id);
        if (record.Kind == RecordKind.Chat)
        {
            writer.WriteStartArray(MessagesProperty);
            foreach (var field in record.Fields)
            {
                writer.WriteStartObject();
                writer.WriteString("role", field.Name);
                writer.WriteString("content", field.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            if (record.ImagePath is not null)
            {
                writer.WriteString(ImageProperty, record.ImagePath);
            }

            foreach (var field in record.Fields)
            {
                writer.WriteString(field.Name, field.Value);
            }
        }

        if (record.HasLabels)
        {
            WriteStringMap(writer, LabelsProperty, record.Labels);
        }

        if (record.HasMetadata)
        {
            WriteStringMap(writer, MetadataProperty, record.Metadata);
        }

        writer.WriteEndObject();
    }

    /// <summary>Serializes a record to a JSON string (one line, no trailing newline).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(DataRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, record);
        }

        return JsonText.ToStringUnescapingSurrogatePairs(buffer.WrittenSpan, new ArrayBufferWriter<byte>(buffer.WrittenCount));
    }

    /// <summary>Parses one canonical JSON object (as written by <see cref="Write"/>) into a record of the given kind.</summary>
    /// <param name="utf8Json">The JSON object, UTF-8.</param>
    /// <param name="kind">The record kind the object holds.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The text is not a JSON object of the expected shape.</exception>
    public static DataRecord Parse(ReadOnlySpan<byte> utf8Json, RecordKind kind)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        return FromElement(document.RootElement, kind);
    }

    /// <summary>Parses one canonical JSON object (as written by <see cref="Write"/>) into a record of the given kind.</summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="kind">The record kind the object holds.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The text is not a JSON object of the expected shape.</exception>
    public static DataRecord Parse(string json, RecordKind kind)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement, kind);
    }

    /// <summary>Converts a canonical JSON object into a record of the given kind.</summary>
    /// <param name="element">The JSON object.</param>
    /// <param name="kind">The record kind the object holds.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The element is not a JSON object of the expected shape.</exception>
    public static DataRecord FromElement(JsonElement element, RecordKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Expected a JSON object, found {element.ValueKind}.");
        }

        var id = element.TryGetProperty(IdProperty, out var idElement) ? ReadString(idElement, IdProperty) : string.Empty;
        var record = new DataRecord(kind, id);
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case IdProperty:
                    break;
                case LabelsProperty:
                    ReadStringMap(property.Value, record.Labels, LabelsProperty);
                    break;
                case MetadataProperty:
                    ReadStringMap(property.Value, record.Metadata, MetadataProperty);
                    break;
                case MessagesProperty when kind == RecordKind.Chat:
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new JsonException($"'{MessagesProperty}' must be an array, found {property.Value.ValueKind}.");
                    }

                    foreach (var message in property.Value.EnumerateArray())
                    {
                        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || !message.TryGetProperty("content", out var content))
                        {
                            throw new JsonException($"Each of '{MessagesProperty}' must be an object with 'role' and 'content'.");
                        }

                        record.AddField(ReadString(role, "role"), ReadString(content, "content"));
                    }

                    break;
                case ImageProperty when kind == RecordKind.ImageCaption:
                    record.ImagePath = ReadString(property.Value, ImageProperty);
                    break;
                default:
                    if (kind != RecordKind.Chat)
                    {
                        record.AddField(property.Name, ReadString(property.Value, property.Name));
                    }

                    break;
            }
        }

        return record;
    }

    private static string ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new JsonException($"'{name}' must be a string, found {element.ValueKind}.");

    private static void ReadStringMap(JsonElement element, IDictionary<string, string> target, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"'{name}' must be an object of strings, found {element.ValueKind}.");
        }

        foreach (var property in element.EnumerateObject())
        {
            target[property.Name] = ReadString(property.Value, name + "." + property.Name);
        }
    }

    private static void WriteStringMap(Utf8JsonWriter writer, string name, IDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}
