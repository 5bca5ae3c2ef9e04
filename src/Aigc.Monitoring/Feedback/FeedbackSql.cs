using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Aigc.Monitoring;

/// <summary>The SQL shared by the SQLite and PostgreSQL feedback stores.</summary>
internal static class FeedbackSql
{
    public const string Columns = "id, trace_id, model_name, model_version, name, data_type, numeric_value, string_value, comment, correction, prompt, response, user_key_hash, created_at, source";

    public const string Values = "@id, @trace_id, @model_name, @model_version, @name, @data_type, @numeric_value, @string_value, @comment, @correction, @prompt, @response, @user_key_hash, @created_at, @source";

    /// <summary>The column definitions, with the dialect's types of <c>id</c>, <c>created_at</c> and <c>numeric_value</c>.</summary>
    public static string ColumnDefinitions(string idType, string timeType, string realType) => $"""
        id {idType} NOT NULL PRIMARY KEY,
        trace_id TEXT NULL,
        model_name TEXT NOT NULL,
        model_version TEXT NOT NULL,
        name TEXT NOT NULL,
        data_type TEXT NOT NULL,
        numeric_value {realType} NULL,
        string_value TEXT NULL,
        comment TEXT NULL,
        correction TEXT NULL,
        prompt TEXT NULL,
        response TEXT NULL,
        user_key_hash TEXT NULL,
        created_at {timeType} NOT NULL,
        source TEXT NOT NULL
        """;

    public static string KindText(FeedbackValueKind kind) => kind switch
    {
        FeedbackValueKind.Numeric => "NUMERIC",
        FeedbackValueKind.Categorical => "CATEGORICAL",
        _ => "BOOLEAN",
    };

    public static FeedbackValueKind ParseKind(string text) => text switch
    {
        "NUMERIC" => FeedbackValueKind.Numeric,
        "CATEGORICAL" => FeedbackValueKind.Categorical,
        "BOOLEAN" => FeedbackValueKind.Boolean,
        _ => throw new InvalidOperationException($"The feedback table holds an unknown data type '{text}'."),
    };

    public static string SourceText(FeedbackSource source) => source switch
    {
        FeedbackSource.Api => "API",
        FeedbackSource.Eval => "EVAL",
        _ => "ANNOTATION",
    };

    public static FeedbackSource ParseSource(string text) => text switch
    {
        "API" => FeedbackSource.Api,
        "EVAL" => FeedbackSource.Eval,
        "ANNOTATION" => FeedbackSource.Annotation,
        _ => throw new InvalidOperationException($"The feedback table holds an unknown source '{text}'."),
    };

    /// <summary>Microseconds since 1970-01-01 UTC (floored).</summary>
    public static long ToMicros(DateTimeOffset time) => Math.DivRem(time.UtcTicks - DateTime.UnixEpoch.Ticks, 10, out var rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), TimeSpan.Zero);

    /// <summary>The time as the stores keep it: UTC, to the microsecond.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => FromMicros(ToMicros(time));

    public static string EncodeToken(DateTimeOffset createdAt, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(ToMicros(createdAt).ToString(CultureInfo.InvariantCulture) + ":" + id));

    public static (DateTimeOffset CreatedAt, string Id) DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros))
            {
                return (FromMicros(micros), text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Reported below with the same message as any other malformed token.
        }

        throw new ArgumentException("The continuation token is not one this store returned; pass the FeedbackPage.ContinuationToken of the previous page unchanged.", nameof(token));
    }

    /// <summary>Builds the WHERE clause (starting with " WHERE", or empty) of a query and adds its parameters.</summary>
    /// <param name="command">The command the parameters go to.</param>
    /// <param name="time">Converts a time to the stored representation.</param>
    /// <param name="modelName">The model name, or null.</param>
    /// <param name="modelVersion">The model version, or null.</param>
    /// <param name="name">The feedback name, or null.</param>
    /// <param name="source">The source, or null.</param>
    /// <param name="from">Inclusive lower time bound, or null.</param>
    /// <param name="to">Exclusive upper time bound, or null.</param>
    /// <param name="after">The keyset position to continue after, or null.</param>
    public static string Where(DbCommand command, Func<DateTimeOffset, object> time, string? modelName, string? modelVersion, string? name, FeedbackSource? source, DateTimeOffset? from, DateTimeOffset? to, (DateTimeOffset CreatedAt, string Id)? after)
    {
        var conditions = new List<string>();
        void Add(string condition, string parameter, object value)
        {
            conditions.Add(condition);
            var p = command.CreateParameter();
            p.ParameterName = parameter;
            p.Value = value;
            command.Parameters.Add(p);
        }

        if (modelName is not null)
        {
            Add("model_name = @q_model_name", "q_model_name", modelName);
        }

        if (modelVersion is not null)
        {
            Add("model_version = @q_model_version", "q_model_version", modelVersion);
        }

        if (name is not null)
        {
            Add("name = @q_name", "q_name", name);
        }

        if (source is { } s)
        {
            Add("source = @q_source", "q_source", SourceText(s));
        }

        if (from is { } f)
        {
            Add("created_at >= @q_from", "q_from", time(Truncate(f)));
        }

        if (to is { } t)
        {
            Add("created_at < @q_to", "q_to", time(Truncate(t)));
        }

        if (after is { } a)
        {
            Add("(created_at > @q_after_time OR (created_at = @q_after_time AND id > @q_after_id))", "q_after_time", time(a.CreatedAt));
            var p = command.CreateParameter();
            p.ParameterName = "q_after_id";
            p.Value = a.Id;
            command.Parameters.Add(p);
        }

        return conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
    }

    /// <summary>Adds the insert parameters of a record to a command.</summary>
    public static void BindRecord(DbCommand command, FeedbackRecord record, object createdAt)
    {
        Set(command, "id", record.Id);
        Set(command, "trace_id", record.TraceId);
        Set(command, "model_name", record.ModelName);
        Set(command, "model_version", record.ModelVersion);
        Set(command, "name", record.Name);
        Set(command, "data_type", KindText(record.Value.Kind));
        Set(command, "numeric_value", record.Value.Number);
        Set(command, "string_value", record.Value.Text);
        Set(command, "comment", record.Comment);
        Set(command, "correction", record.Correction);
        Set(command, "prompt", record.Prompt);
        Set(command, "response", record.Response);
        Set(command, "user_key_hash", record.UserKeyHash);
        Set(command, "created_at", createdAt);
        Set(command, "source", SourceText(record.Source));
    }

    /// <summary>Reads a record from a row of <see cref="Columns"/>.</summary>
    public static FeedbackRecord Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> readTime)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var kind = ParseKind(reader.GetString(5));
        return new FeedbackRecord
        {
            Id = reader.GetString(0),
            TraceId = Text(1),
            ModelName = reader.GetString(2),
            ModelVersion = reader.GetString(3),
            Name = reader.GetString(4),
            Value = FeedbackValue.FromStorage(kind, reader.IsDBNull(6) ? null : reader.GetDouble(6), Text(7)),
            Comment = Text(8),
            Correction = Text(9),
            Prompt = Text(10),
            Response = Text(11),
            UserKeyHash = Text(12),
            CreatedAt = readTime(reader, 13),
            Source = ParseSource(reader.GetString(14)),
        };
    }

    public static string AggregateSelect(string table) => $"""
        SELECT model_name, model_version, COUNT(*),
               SUM(CASE WHEN name = @a_rating AND data_type = 'NUMERIC' THEN 1 ELSE 0 END),
               AVG(CASE WHEN name = @a_rating AND data_type = 'NUMERIC' THEN numeric_value END),
               SUM(CASE WHEN name = @a_thumbs AND data_type = 'BOOLEAN' THEN 1 ELSE 0 END),
               SUM(CASE WHEN name = @a_thumbs AND data_type = 'BOOLEAN' AND numeric_value > 0.5 THEN 1 ELSE 0 END)
        FROM {table}
        """;

    public static void BindAggregateNames(DbCommand command, FeedbackAggregateQuery query)
    {
        Set(command, "a_rating", query.RatingName);
        Set(command, "a_thumbs", query.ThumbsName);
    }

    public static FeedbackAggregate ReadAggregate(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
        reader.IsDBNull(4) ? null : Convert.ToDouble(reader.GetValue(4), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture));

    public static void CheckQuery(FeedbackQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 10_000, nameof(query));
    }

    private static void Set(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
