using System.Globalization;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Maps one JSON object onto a <see cref="DataRecord"/> through a <see cref="RecordSchema"/>, or explains precisely
/// why it cannot (the reason names the source field and what was wrong).
/// </summary>
internal static class JsonRecordMapper
{
    /// <summary>Maps a JSON object.</summary>
    /// <param name="root">The object.</param>
    /// <param name="schema">The mapping.</param>
    /// <param name="fileName">The file name, for the default id.</param>
    /// <param name="line">The 1-based line, for the default id.</param>
    /// <param name="reason">Why the object was not mapped.</param>
    /// <returns>The record, or <see langword="null"/> with <paramref name="reason"/> set.</returns>
    public static DataRecord? Map(JsonElement root, RecordSchema schema, string fileName, long line, out string? reason)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            reason = "expected a JSON object, found " + root.ValueKind;
            return null;
        }

        string? id = null;
        if (schema.IdField is { } idField && root.TryGetProperty(idField, out var idElement))
        {
            switch (idElement.ValueKind)
            {
                case JsonValueKind.String:
                    id = idElement.GetString();
                    break;
                case JsonValueKind.Number:
                    id = idElement.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    reason = $"field '{idField}' must be a string or a number, found {idElement.ValueKind}";
                    return null;
            }
        }

        var record = new DataRecord(schema.Kind, id ?? DefaultId(fileName, line));
        var names = schema.SourceNames;
        switch (schema.Kind)
        {
            case RecordKind.Chat:
                if (!root.TryGetProperty(names[0], out var messages))
                {
                    reason = Missing(names[0]);
                    return null;
                }

                if (!ReadMessages(messages, schema, record, out reason))
                {
                    return null;
                }

                break;
            case RecordKind.ImageCaption:
                if (!TryRequired(root, names[0], out var image, out reason) || !TryRequired(root, names[1], out var caption, out reason))
                {
                    return null;
                }

                record.ImagePath = image;
                record.AddField(FieldNames.Caption, caption);
                break;
            case RecordKind.Instruction:
                if (!TryRequired(root, names[0], out var instruction, out reason)
                    || !TryOptional(root, names[1], out var input, out reason)
                    || !TryRequired(root, names[2], out var output, out reason))
                {
                    return null;
                }

                record.AddField(FieldNames.Instruction, instruction).AddField(FieldNames.Input, input ?? string.Empty).AddField(FieldNames.Output, output);
                break;
            default:
                var canonical = RecordSchema.CanonicalNames(schema.Kind);
                for (var i = 0; i < names.Count; i++)
                {
                    if (!TryRequired(root, names[i], out var value, out reason))
                    {
                        return null;
                    }

                    record.AddField(canonical[i], value);
                }

                break;
        }

        return ReadExtras(root, schema, record, out reason) ? record : null;
    }

    /// <summary>Reads a JSON array of messages into a chat record's fields.</summary>
    /// <param name="messages">The array.</param>
    /// <param name="schema">The chat schema (source names and role map).</param>
    /// <param name="record">The record to add the messages to.</param>
    /// <param name="reason">Why the array was not read.</param>
    /// <returns>Whether every message was read.</returns>
    public static bool ReadMessages(JsonElement messages, RecordSchema schema, DataRecord record, out string? reason)
    {
        var names = schema.SourceNames;
        if (messages.ValueKind != JsonValueKind.Array)
        {
            reason = $"field '{names[0]}' must be an array, found {messages.ValueKind}";
            return false;
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                reason = $"field '{names[0]}[{index}]' must be an object, found {message.ValueKind}";
                return false;
            }

            if (!message.TryGetProperty(names[1], out var roleElement))
            {
                reason = Missing(ItemPath(names, index, 1));
                return false;
            }

            if (roleElement.ValueKind != JsonValueKind.String)
            {
                reason = WrongType(ItemPath(names, index, 1), roleElement.ValueKind);
                return false;
            }

            if (!message.TryGetProperty(names[2], out var contentElement))
            {
                reason = Missing(ItemPath(names, index, 2));
                return false;
            }

            if (contentElement.ValueKind != JsonValueKind.String)
            {
                reason = WrongType(ItemPath(names, index, 2), contentElement.ValueKind);
                return false;
            }

            var role = MapRole(roleElement.GetString()!, schema, names, index, out reason);
            if (role is null)
            {
                return false;
            }

            record.AddField(role, contentElement.GetString()!);
            index++;
        }

        reason = null;
        return true;
    }

    /// <summary>Maps a source role through the schema's role map.</summary>
    /// <param name="role">The source role.</param>
    /// <param name="schema">The chat schema.</param>
    /// <param name="names">The schema's source names.</param>
    /// <param name="index">The message index, for the reason.</param>
    /// <param name="reason">Why the role was not accepted.</param>
    /// <returns>The canonical role, or <see langword="null"/>.</returns>
    public static string? MapRole(string role, RecordSchema schema, IReadOnlyList<string> names, int index, out string? reason)
    {
        if (schema.Roles is { } roles)
        {
            if (roles.TryGetValue(role, out var mapped))
            {
                reason = null;
                return mapped;
            }

            var known = new List<string>(roles.Keys);
            known.Sort(StringComparer.Ordinal);
            reason = $"field '{ItemPath(names, index, 1)}' has unknown role '{role}' (known roles: {string.Join(", ", known)}); add it to the schema's role map";
            return null;
        }

        if (role.Length == 0)
        {
            reason = $"field '{ItemPath(names, index, 1)}' must not be empty";
            return null;
        }

        reason = null;
        return role;
    }

    /// <summary>Copies a JSON object of strings into a dictionary.</summary>
    /// <param name="element">The object.</param>
    /// <param name="target">The dictionary.</param>
    /// <param name="field">The source field name, for the reason.</param>
    /// <param name="reason">Why the object was not copied.</param>
    /// <returns>Whether the object was copied.</returns>
    public static bool ReadStringMap(JsonElement element, IDictionary<string, string> target, string field, out string? reason)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            reason = $"field '{field}' must be an object of strings, found {element.ValueKind}";
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                reason = WrongType(field + "." + property.Name, property.Value.ValueKind);
                return false;
            }

            target[property.Name] = property.Value.GetString()!;
        }

        reason = null;
        return true;
    }

    /// <summary>Returns the id of a record that has none: <c>&lt;file name&gt;:&lt;line&gt;</c>.</summary>
    /// <param name="fileName">The file name.</param>
    /// <param name="line">The 1-based line or row.</param>
    /// <returns>The id.</returns>
    public static string DefaultId(string fileName, long line) => string.Create(CultureInfo.InvariantCulture, $"{fileName}:{line}");

    /// <summary>The reason for a missing field.</summary>
    /// <param name="field">The source field.</param>
    /// <returns>The reason.</returns>
    public static string Missing(string field) => $"field '{field}' is missing";

    /// <summary>The reason for a field of the wrong type.</summary>
    /// <param name="field">The source field.</param>
    /// <param name="found">What was found.</param>
    /// <returns>The reason.</returns>
    public static string WrongType(string field, JsonValueKind found) => $"field '{field}' must be a string, found {found}";

    private static string ItemPath(IReadOnlyList<string> names, int index, int property) =>
        string.Create(CultureInfo.InvariantCulture, $"{names[0]}[{index}].{names[property]}");

    private static bool TryRequired(JsonElement root, string field, out string value, out string? reason)
    {
        if (!root.TryGetProperty(field, out var element))
        {
            value = string.Empty;
            reason = Missing(field);
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            value = string.Empty;
            reason = WrongType(field, element.ValueKind);
            return false;
        }

        value = element.GetString()!;
        reason = null;
        return true;
    }

    private static bool TryOptional(JsonElement root, string field, out string? value, out string? reason)
    {
        value = null;
        reason = null;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            reason = WrongType(field, element.ValueKind);
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static bool ReadExtras(JsonElement root, RecordSchema schema, DataRecord record, out string? reason)
    {
        reason = null;
        if (schema.LabelsField is { } labelsField && root.TryGetProperty(labelsField, out var labels) && labels.ValueKind != JsonValueKind.Null
            && !ReadStringMap(labels, record.Labels, labelsField, out reason))
        {
            return false;
        }

        if (schema.MetadataField is { } metadataField && root.TryGetProperty(metadataField, out var metadata) && metadata.ValueKind != JsonValueKind.Null
            && !ReadStringMap(metadata, record.Metadata, metadataField, out reason))
        {
            return false;
        }

        var extras = schema.ExtraFields;
        for (var i = 0; i < extras.Count; i++)
        {
            if (root.TryGetProperty(extras[i], out var extra) && extra.ValueKind != JsonValueKind.Null)
            {
                record.Metadata[extras[i]] = extra.ValueKind == JsonValueKind.String ? extra.GetString()! : extra.GetRawText();
            }
        }

        return true;
    }
}
