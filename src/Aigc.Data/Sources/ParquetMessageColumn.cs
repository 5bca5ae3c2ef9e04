using Parquet.Schema;

namespace Aigc.Data;

/// <summary>A resolved <c>list&lt;struct&lt;role, content&gt;&gt;</c> column and the definition levels that tell null, empty and filled lists apart.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Role">The role leaf.</param>
/// <param name="Content">The content leaf.</param>
/// <param name="ListLevel">The definition level at which a list element exists (one less: an empty list; lower: a null list).</param>
/// <param name="ElementLevel">The definition level at which an element struct is not null.</param>
internal sealed record ParquetMessageColumn(string Name, DataField Role, DataField Content, int ListLevel, int ElementLevel);
