using System.Buffers;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Aigc.Data;

/// <summary>
/// Which Parquet columns a <see cref="RecordSchema"/> reads, resolved once per file, and how one row group's rows
/// become records.
/// </summary>
internal sealed class ParquetReadPlan
{
    private readonly string _path;
    private readonly string _fileName;
    private readonly RecordSchema _schema;
    private readonly DataField?[] _fields;
    private readonly ParquetMessageColumn? _messages;
    private readonly DataField? _messagesJson;
    private readonly DataField? _id;
    private readonly DataField? _labels;
    private readonly DataField? _metadata;
    private readonly DataField?[] _extras;

    private ParquetReadPlan(string path, RecordSchema schema, DataField?[] fields, ParquetMessageColumn? messages, DataField? messagesJson, DataField? id, DataField? labels, DataField? metadata, DataField?[] extras)
    {
        _path = path;
        _fileName = Path.GetFileName(path);
        _schema = schema;
        _fields = fields;
        _messages = messages;
        _messagesJson = messagesJson;
        _id = id;
        _labels = labels;
        _metadata = metadata;
        _extras = extras;
    }

    /// <summary>Resolves the schema's fields against a file's columns.</summary>
    /// <param name="path">The file, for errors.</param>
    /// <param name="schema">The mapping.</param>
    /// <param name="parquet">The file's schema.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="DataFileException">A required column is missing or has a type that cannot be read.</exception>
    public static ParquetReadPlan Create(string path, RecordSchema schema, ParquetSchema parquet)
    {
        var byName = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var field in parquet.Fields)
        {
            byName.TryAdd(field.Name, field);
        }

        var names = schema.SourceNames;
        ParquetMessageColumn? messages = null;
        DataField? messagesJson = null;
        DataField?[] fields;
        if (schema.Kind == RecordKind.Chat)
        {
            fields = [];
            var column = byName.GetValueOrDefault(names[0]) ?? throw Missing(path, names[0], schema, parquet);
            switch (column)
            {
                case ListField { Item: StructField element } list:
                    messages = new ParquetMessageColumn(
                        names[0],
                        Leaf(path, element, names[0], names[1]),
                        Leaf(path, element, names[0], names[2]),
                        list.MaxDefinitionLevel,
                        element.MaxDefinitionLevel);
                    break;
                case DataField data when ParquetColumns.IsString(data) && !data.IsArray:
                    messagesJson = data;
                    break;
                default:
                    throw new DataFileException(
                        path,
                        $"the column '{names[0]}' must be a list of structs with '{names[1]}' and '{names[2]}', or a string column holding a JSON array; found {ParquetColumns.Describe(column)}",
                        null);
            }
        }
        else
        {
            fields = new DataField?[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var optional = schema.Kind == RecordKind.Instruction && i == 1;
                var column = byName.GetValueOrDefault(names[i]);
                if (column is null)
                {
                    fields[i] = optional ? null : throw Missing(path, names[i], schema, parquet);
                    continue;
                }

                fields[i] = StringColumn(path, column, "a string column");
            }
        }

        var extras = new DataField?[schema.ExtraFields.Count];
        for (var i = 0; i < extras.Length; i++)
        {
            extras[i] = Optional(path, byName, schema.ExtraFields[i], convertible: true, "a string, integer, floating-point or boolean column");
        }

        return new ParquetReadPlan(
            path,
            schema,
            fields,
            messages,
            messagesJson,
            Optional(path, byName, schema.IdField, convertible: true, "a string or integer column"),
            Optional(path, byName, schema.LabelsField, convertible: false, "a string column holding a JSON object"),
            Optional(path, byName, schema.MetadataField, convertible: false, "a string column holding a JSON object"),
            extras);
    }

    /// <summary>Reads the columns of one row group.</summary>
    /// <param name="group">The row group.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The row group's values.</returns>
    public async ValueTask<ParquetBatch> ReadAsync(ParquetRowGroupReader group, CancellationToken cancellationToken)
    {
        var rows = checked((int)group.RowCount);
        var batch = new ParquetBatch(rows, _fields.Length, _extras.Length);
        for (var i = 0; i < _fields.Length; i++)
        {
            if (_fields[i] is { } field)
            {
                batch.Fields[i] = await ParquetColumns.ReadTextAsync(group, field, rows, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_messages is not null)
        {
            batch.Messages = await ParquetColumns.ReadMessagesAsync(_path, group, _messages, rows, cancellationToken).ConfigureAwait(false);
        }

        if (_messagesJson is not null)
        {
            batch.MessagesJson = await ParquetColumns.ReadTextAsync(group, _messagesJson, rows, cancellationToken).ConfigureAwait(false);
        }

        batch.Ids = _id is null ? null : await ParquetColumns.ReadTextAsync(group, _id, rows, cancellationToken).ConfigureAwait(false);
        batch.Labels = _labels is null ? null : await ParquetColumns.ReadTextAsync(group, _labels, rows, cancellationToken).ConfigureAwait(false);
        batch.Metadata = _metadata is null ? null : await ParquetColumns.ReadTextAsync(group, _metadata, rows, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < _extras.Length; i++)
        {
            if (_extras[i] is { } extra)
            {
                batch.Extras[i] = await ParquetColumns.ReadTextAsync(group, extra, rows, cancellationToken).ConfigureAwait(false);
            }
        }

        return batch;
    }

    /// <summary>Maps one row of a batch.</summary>
    /// <param name="batch">The row group's values.</param>
    /// <param name="index">The row within the batch.</param>
    /// <param name="row">The 1-based row within the file.</param>
    /// <param name="reason">Why the row was not mapped.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public DataRecord? Map(ParquetBatch batch, int index, long row, out string? reason)
    {
        var names = _schema.SourceNames;
        var record = new DataRecord(_schema.Kind, batch.Ids?[index] ?? JsonRecordMapper.DefaultId(_fileName, row));
        if (batch.Messages is { } lists)
        {
            if (!MapMessages(lists, index, record, out reason))
            {
                return null;
            }
        }
        else if (batch.MessagesJson is { } json)
        {
            if (json[index] is not { } cell)
            {
                reason = $"field '{names[0]}' is null";
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(cell);
                if (!JsonRecordMapper.ReadMessages(document.RootElement, _schema, record, out reason))
                {
                    return null;
                }
            }
            catch (JsonException e)
            {
                reason = $"column '{names[0]}' must hold a JSON array of messages: {JsonlSource.DescribeJsonError(e)}";
                return null;
            }
        }
        else
        {
            var canonical = RecordSchema.CanonicalNames(_schema.Kind);
            for (var i = 0; i < _fields.Length; i++)
            {
                var value = batch.Fields[i]?[index];
                if (value is null)
                {
                    if (_fields[i] is not null && !(_schema.Kind == RecordKind.Instruction && i == 1))
                    {
                        reason = $"field '{names[i]}' is null";
                        return null;
                    }

                    value = string.Empty;
                }

                if (_schema.Kind == RecordKind.ImageCaption && i == 0)
                {
                    record.ImagePath = value;
                }
                else
                {
                    record.AddField(canonical[i], value);
                }
            }
        }

        if (!ReadMap(batch.Labels?[index], _schema.LabelsField, record.Labels, out reason)
            || !ReadMap(batch.Metadata?[index], _schema.MetadataField, record.Metadata, out reason))
        {
            return null;
        }

        for (var i = 0; i < _extras.Length; i++)
        {
            if (batch.Extras[i]?[index] is { } extra)
            {
                record.Metadata[_schema.ExtraFields[i]] = extra;
            }
        }

        reason = null;
        return record;
    }

    /// <summary>Serializes the mapped columns of one row as a JSON object, for the rejects file.</summary>
    /// <param name="batch">The row group's values.</param>
    /// <param name="index">The row within the batch.</param>
    /// <returns>The JSON text.</returns>
    public string Describe(ParquetBatch batch, int index)
    {
        var names = _schema.SourceNames;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, DataRecordJson.WriterOptions))
        {
            writer.WriteStartObject();
            WriteValue(writer, _schema.IdField, batch.Ids, index);
            for (var i = 0; i < _fields.Length; i++)
            {
                WriteValue(writer, names[i], batch.Fields[i], index);
            }

            WriteValue(writer, names[0], batch.MessagesJson, index);
            if (batch.Messages is { } lists)
            {
                writer.WritePropertyName(names[0]);
                if (lists.IsNull[index])
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStartArray();
                    for (var m = lists.Start[index]; m < lists.Start[index + 1]; m++)
                    {
                        if (lists.ElementIsNull(m))
                        {
                            writer.WriteNullValue();
                            continue;
                        }

                        writer.WriteStartObject();
                        WriteString(writer, names[1], lists.Role(m));
                        WriteString(writer, names[2], lists.Content(m));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }
            }

            WriteValue(writer, _schema.LabelsField, batch.Labels, index);
            WriteValue(writer, _schema.MetadataField, batch.Metadata, index);
            writer.WriteEndObject();
        }

        return RawText.ForReject(buffer.WrittenSpan);
    }

    private bool MapMessages(MessageLists lists, int index, DataRecord record, out string? reason)
    {
        var names = _schema.SourceNames;
        if (lists.IsNull[index])
        {
            reason = $"field '{names[0]}' is null";
            return false;
        }

        var first = lists.Start[index];
        for (var m = first; m < lists.Start[index + 1]; m++)
        {
            var position = m - first;
            if (lists.ElementIsNull(m))
            {
                reason = $"field '{names[0]}[{position}]' is null";
                return false;
            }

            if (lists.Role(m) is not { } role)
            {
                reason = $"field '{names[0]}[{position}].{names[1]}' is null";
                return false;
            }

            if (lists.Content(m) is not { } content)
            {
                reason = $"field '{names[0]}[{position}].{names[2]}' is null";
                return false;
            }

            var mapped = JsonRecordMapper.MapRole(role, _schema, names, position, out reason);
            if (mapped is null)
            {
                return false;
            }

            record.AddField(mapped, content);
        }

        reason = null;
        return true;
    }

    private static bool ReadMap(string? cell, string? field, IDictionary<string, string> target, out string? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(cell))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(cell);
            return JsonRecordMapper.ReadStringMap(document.RootElement, target, field!, out reason);
        }
        catch (JsonException e)
        {
            reason = $"column '{field}' must hold a JSON object of strings: {JsonlSource.DescribeJsonError(e)}";
            return false;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, string? name, string?[]? column, int index)
    {
        if (name is not null && column is not null)
        {
            WriteString(writer, name, column[index]);
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static DataFileException Missing(string path, string column, RecordSchema schema, ParquetSchema parquet)
    {
        var columns = new List<string>(parquet.Fields.Count);
        foreach (var field in parquet.Fields)
        {
            columns.Add(field.Name);
        }

        return new DataFileException(
            path,
            $"has no column '{column}', which the {schema.Name} schema needs (columns: {string.Join(", ", columns)}). Rename the column or map it with RecordSchema.",
            null);
    }

    private static DataField Leaf(string path, StructField element, string list, string name)
    {
        foreach (var field in element.Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field is DataField data && ParquetColumns.IsString(data) && !data.IsArray
                    ? data
                    : throw new DataFileException(path, $"the field '{name}' of the column '{list}' must be a string, found {ParquetColumns.Describe(field)}", null);
            }
        }

        throw new DataFileException(path, $"the elements of the column '{list}' have no field '{name}'. Map it with RecordSchema.", null);
    }

    private static DataField StringColumn(string path, Field column, string expected) =>
        column is DataField data && ParquetColumns.IsString(data) && !data.IsArray
            ? data
            : throw new DataFileException(path, $"the column '{column.Name}' must be {expected}, found {ParquetColumns.Describe(column)}", null);

    private static DataField? Optional(string path, Dictionary<string, Field> byName, string? name, bool convertible, string expected)
    {
        if (name is null || !byName.TryGetValue(name, out var column))
        {
            return null;
        }

        if (column is DataField data && !data.IsArray && (convertible ? ParquetColumns.IsTextConvertible(data) : ParquetColumns.IsString(data)))
        {
            return data;
        }

        throw new DataFileException(path, $"the column '{name}' must be {expected}, found {ParquetColumns.Describe(column)}", null);
    }
}
