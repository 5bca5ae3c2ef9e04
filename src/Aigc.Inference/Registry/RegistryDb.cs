using System.Data.Common;
using System.Globalization;

namespace Aigc.Inference;

/// <summary>Small ADO.NET helpers shared by the SQLite and PostgreSQL registries (named <c>@parameters</c> work in both).</summary>
internal static class RegistryDb
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }

    public static int GetInt(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long GetLong(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static int? GetNullableInt(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : GetInt(reader, ordinal);

    public static string? GetNullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(GetLong(reader, ordinal));

    /// <summary>Writes <c>@p0, @p1, …</c> for an <c>IN (…)</c> list and adds the parameters.</summary>
    public static string InList<T>(DbCommand command, string prefix, IReadOnlyList<T> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(CultureInfo.InvariantCulture);
            command.With(names[i], values[i]);
        }

        return string.Join(", ", names);
    }

    /// <summary>Escapes <c>%</c>, <c>_</c> and <c>\</c> for a <c>LIKE … ESCAPE '\'</c> pattern.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
