using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Aigc.Data;

/// <summary>Low-level column reads over Parquet.Net: string and primitive columns, and lists of message structs.</summary>
internal static class ParquetColumns
{
    /// <summary>Gets whether a field holds text.</summary>
    /// <param name="field">The field.</param>
    /// <returns>Whether the column is a string column.</returns>
    public static bool IsString(DataField field) =>
        field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string);

    /// <summary>Gets whether a field holds a value that converts to text: a string, integer, floating-point or boolean column.</summary>
    /// <param name="field">The field.</param>
    /// <returns>Whether the column can be read with <see cref="ReadTextAsync"/>.</returns>
    public static bool IsTextConvertible(DataField field) =>
        IsString(field) || field.ClrType == typeof(int) || field.ClrType == typeof(long) || field.ClrType == typeof(bool)
        || field.ClrType == typeof(float) || field.ClrType == typeof(double);

    /// <summary>Describes a field's type for error messages.</summary>
    /// <param name="field">The field.</param>
    /// <returns>The description.</returns>
    public static string Describe(Field field) => field switch
    {
        DataField data when IsString(data) => "string",
        DataField data => data.ClrType.Name,
        _ => field.SchemaType.ToString(),
    };

    /// <summary>Reads a flat column as text, one entry a row (<see langword="null"/> for a null value).</summary>
    /// <param name="group">The row group.</param>
    /// <param name="field">The column (see <see cref="IsTextConvertible"/>).</param>
    /// <param name="rows">The row count.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The values.</returns>
    public static async ValueTask<string?[]> ReadTextAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(int))
        {
            return await ReadPrimitiveAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false);
        }

        if (type == typeof(long))
        {
            return await ReadPrimitiveAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false);
        }

        if (type == typeof(bool))
        {
            return await ReadPrimitiveAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false);
        }

        if (type == typeof(float))
        {
            return await ReadPrimitiveAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false);
        }

        if (type == typeof(double))
        {
            return await ReadPrimitiveAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false);
        }

        var values = new ReadOnlyMemory<char>[rows];
        var definitions = new int[rows];
        var repetitions = new int[rows];
        await group.ReadRawAsync<ReadOnlyMemory<char>>(field, values, definitions, repetitions, cancellationToken).ConfigureAwait(false);
        var result = new string?[rows];
        var next = 0;
        var defined = field.MaxDefinitionLevel;
        for (var i = 0; i < rows; i++)
        {
            result[i] = definitions[i] == defined ? values[next++].ToString() : null;
        }

        return result;
    }

    /// <summary>
    /// Reads the role and content leaves of a <c>list&lt;struct&lt;role, content&gt;&gt;</c> column: per row, null or
    /// a range of messages; per message, a null element flag and the (possibly null) role and content.
    /// </summary>
    /// <param name="path">The file, for errors.</param>
    /// <param name="group">The row group.</param>
    /// <param name="column">The resolved list column.</param>
    /// <param name="rows">The row count.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="DataFileException">The two leaves disagree about the list structure.</exception>
    public static async ValueTask<MessageLists> ReadMessagesAsync(string path, ParquetRowGroupReader group, ParquetMessageColumn column, int rows, CancellationToken cancellationToken)
    {
        var roles = await ReadLeafAsync(group, column.Role, cancellationToken).ConfigureAwait(false);
        var contents = await ReadLeafAsync(group, column.Content, cancellationToken).ConfigureAwait(false);
        var lists = new MessageLists(rows);
        var roleLayout = Walk(roles, column, lists, rows, fill: true);
        var contentLayout = Walk(contents, column, lists, rows, fill: false);
        if (roleLayout != rows || contentLayout != rows || lists.ContentCount != lists.Count)
        {
            throw new DataFileException(path, $"the column '{column.Name}' is malformed: its '{column.Role.Name}' and '{column.Content.Name}' lists do not line up with the rows", null);
        }

        return lists;
    }

    private static int Walk(Leaf leaf, ParquetMessageColumn column, MessageLists lists, int rows, bool fill)
    {
        var row = -1;
        var value = 0;
        for (var i = 0; i < leaf.Count; i++)
        {
            if (leaf.Repetitions[i] == 0)
            {
                row++;
                if (row >= rows)
                {
                    return -1;
                }

                if (fill)
                {
                    lists.Start[row] = lists.Count;
                }
            }

            if (row < 0)
            {
                return -1;
            }

            var definition = leaf.Definitions[i];
            if (definition < column.ListLevel - 1)
            {
                if (fill)
                {
                    lists.IsNull[row] = true;
                }

                continue;
            }

            if (definition == column.ListLevel - 1)
            {
                continue;
            }

            var text = definition == leaf.Field.MaxDefinitionLevel ? leaf.Values[value++].ToString() : null;
            if (fill)
            {
                lists.Add(definition < column.ElementLevel, text);
            }
            else
            {
                lists.AddContent(text);
            }
        }

        if (fill)
        {
            lists.Start[rows] = lists.Count;
        }

        return row + 1;
    }

    private static async ValueTask<Leaf> ReadLeafAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
    {
        var count = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? group.RowCount));
        var leaf = new Leaf(field, new ReadOnlyMemory<char>[count], new int[count], new int[count]);
        await group.ReadRawAsync<ReadOnlyMemory<char>>(field, leaf.Values, leaf.Definitions, leaf.Repetitions, cancellationToken).ConfigureAwait(false);
        return leaf;
    }

    private static async ValueTask<string?[]> ReadPrimitiveAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var result = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            result[i] = values[i] is { } value
                ? value is bool flag ? (flag ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)
                : null;
        }

        return result;
    }

    private sealed record Leaf(DataField Field, ReadOnlyMemory<char>[] Values, int[] Definitions, int[] Repetitions)
    {
        public int Count => Definitions.Length;
    }
}
