using System.Buffers;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>The flat columns the CSV and Parquet writers use for each record kind, and how records fill them.</summary>
internal static class CanonicalColumns
{
    /// <summary>Gets the text columns of a kind after <c>id</c> (for chat: the messages column).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The column names.</returns>
    public static string[] For(RecordKind kind) => RecordSchema.CanonicalNames(kind) is var names && kind == RecordKind.Chat ? [names[0]] : names;

    /// <summary>Gets a record's value for one column (an absent field is an empty string).</summary>
    /// <param name="record">The record.</param>
    /// <param name="column">The column name (see <see cref="For"/>).</param>
    /// <returns>The value.</returns>
    public static string Value(DataRecord record, string column) =>
        record.Kind == RecordKind.ImageCaption && column == DataRecordJson.ImageProperty
            ? record.ImagePath ?? string.Empty
            : record.GetField(column) ?? string.Empty;

    /// <summary>Checks that a record is of the writer's kind.</summary>
    /// <param name="record">The record.</param>
    /// <param name="kind">The writer's kind.</param>
    /// <exception cref="ArgumentException">The kinds differ.</exception>
    public static void CheckKind(DataRecord record, RecordKind kind)
    {
        if (record.Kind != kind)
        {
            throw new ArgumentException($"The record '{record.Id}' is of kind {record.Kind}, but the writer writes {kind} records.", nameof(record));
        }
    }

    /// <summary>Serializes a chat record's messages as a JSON array of <c>{"role","content"}</c> objects.</summary>
    /// <param name="record">The chat record.</param>
    /// <param name="buffer">A scratch buffer.</param>
    /// <param name="scratch">A second scratch buffer.</param>
    /// <returns>The JSON text.</returns>
    public static string MessagesJson(DataRecord record, ArrayBufferWriter<byte> buffer, ArrayBufferWriter<byte> scratch)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, DataRecordJson.WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var field in record.Fields)
            {
                writer.WriteStartObject();
                writer.WriteString("role", field.Name);
                writer.WriteString("content", field.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return JsonText.ToStringUnescapingSurrogatePairs(buffer.WrittenSpan, scratch);
    }

    /// <summary>Serializes labels or metadata as a JSON object of strings, or returns <see langword="null"/> when there are none.</summary>
    /// <param name="has">Whether the record has any entry.</param>
    /// <param name="map">The entries.</param>
    /// <param name="buffer">A scratch buffer.</param>
    /// <param name="scratch">A second scratch buffer.</param>
    /// <returns>The JSON text, or <see langword="null"/>.</returns>
    public static string? MapJson(bool has, IDictionary<string, string> map, ArrayBufferWriter<byte> buffer, ArrayBufferWriter<byte> scratch)
    {
        if (!has)
        {
            return null;
        }

        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, DataRecordJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in map)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return JsonText.ToStringUnescapingSurrogatePairs(buffer.WrittenSpan, scratch);
    }
}
