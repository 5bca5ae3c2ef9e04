namespace Aigc.Data;

/// <summary>The values of one Parquet row group, column by column, as a <see cref="ParquetReadPlan"/> read them.</summary>
internal sealed class ParquetBatch
{
    /// <summary>Initializes an empty batch.</summary>
    /// <param name="rows">The row count.</param>
    /// <param name="fields">How many canonical fields the plan reads.</param>
    /// <param name="extras">How many extra fields the plan reads.</param>
    public ParquetBatch(int rows, int fields, int extras)
    {
        Rows = rows;
        Fields = new string?[fields][];
        Extras = new string?[extras][];
    }

    /// <summary>Gets the row count.</summary>
    public int Rows { get; }

    /// <summary>Gets the values of each canonical field (a missing optional column stays <see langword="null"/>).</summary>
    public string?[]?[] Fields { get; }

    /// <summary>Gets or sets the messages of a list column.</summary>
    public MessageLists? Messages { get; set; }

    /// <summary>Gets or sets the messages of a JSON string column.</summary>
    public string?[]? MessagesJson { get; set; }

    /// <summary>Gets or sets the ids.</summary>
    public string?[]? Ids { get; set; }

    /// <summary>Gets or sets the labels (JSON objects).</summary>
    public string?[]? Labels { get; set; }

    /// <summary>Gets or sets the metadata (JSON objects).</summary>
    public string?[]? Metadata { get; set; }

    /// <summary>Gets the values of each extra field (a missing column stays <see langword="null"/>).</summary>
    public string?[]?[] Extras { get; }
}
