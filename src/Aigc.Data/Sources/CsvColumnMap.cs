using System.Globalization;

namespace Aigc.Data;

/// <summary>Where each field of a <see cref="RecordSchema"/> sits in the columns of a CSV file.</summary>
internal sealed class CsvColumnMap
{
    private CsvColumnMap(int columnCount, int[] fields, string[] fieldNames, int id, int labels, int metadata, int[] extras)
    {
        ColumnCount = columnCount;
        Fields = fields;
        FieldNames = fieldNames;
        Id = id;
        Labels = labels;
        Metadata = metadata;
        Extras = extras;
    }

    /// <summary>Gets how many columns a record must have.</summary>
    public int ColumnCount { get; }

    /// <summary>Gets the column of each canonical field of the schema, in canonical order (-1 for a missing optional one).</summary>
    /// <remarks>For chat schemas only the first entry (the messages column) is used.</remarks>
    public int[] Fields { get; }

    /// <summary>Gets the column names of <see cref="Fields"/>, for reasons.</summary>
    public string[] FieldNames { get; }

    /// <summary>Gets the id column, or -1.</summary>
    public int Id { get; }

    /// <summary>Gets the labels column, or -1.</summary>
    public int Labels { get; }

    /// <summary>Gets the metadata column, or -1.</summary>
    public int Metadata { get; }

    /// <summary>Gets the column of each extra field (-1 for a missing one), in the schema's order.</summary>
    public int[] Extras { get; }

    /// <summary>Resolves the schema's fields against the column names.</summary>
    /// <param name="path">The file, for errors.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="columns">The column names (the header, or <c>0</c>, <c>1</c>, … without one).</param>
    /// <returns>The map.</returns>
    /// <exception cref="DataFileException">A required column is missing or a column name appears twice.</exception>
    public static CsvColumnMap Create(string path, RecordSchema schema, IReadOnlyList<string> columns)
    {
        var byName = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!byName.TryAdd(columns[i], i))
            {
                throw new DataFileException(path, $"the column '{columns[i]}' appears more than once in the header", null);
            }
        }

        var names = schema.SourceNames;
        var required = schema.Kind == RecordKind.Chat ? 1 : names.Count;
        var fields = new int[required];
        var fieldNames = new string[required];
        for (var i = 0; i < required; i++)
        {
            fieldNames[i] = names[i];
            if (byName.TryGetValue(names[i], out var index))
            {
                fields[i] = index;
            }
            else if (schema.Kind == RecordKind.Instruction && i == 1)
            {
                fields[i] = -1;
            }
            else
            {
                throw new DataFileException(
                    path,
                    $"has no column '{names[i]}', which the {schema.Name} schema needs (columns: {string.Join(", ", columns)}). Rename the column or map it with RecordSchema.",
                    null);
            }
        }

        var extras = new int[schema.ExtraFields.Count];
        for (var i = 0; i < extras.Length; i++)
        {
            extras[i] = byName.GetValueOrDefault(schema.ExtraFields[i], -1);
        }

        return new CsvColumnMap(
            columns.Count,
            fields,
            fieldNames,
            Optional(byName, schema.IdField),
            Optional(byName, schema.LabelsField),
            Optional(byName, schema.MetadataField),
            extras);
    }

    /// <summary>Returns the positional column names <c>0</c>, <c>1</c>, … of a file without a header.</summary>
    /// <param name="count">How many columns.</param>
    /// <returns>The names.</returns>
    public static string[] PositionalNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static int Optional(Dictionary<string, int> byName, string? name) =>
        name is not null && byName.TryGetValue(name, out var index) ? index : -1;
}
