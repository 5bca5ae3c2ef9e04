using System.Runtime.CompilerServices;
using Parquet;

namespace Aigc.Data;

/// <summary>
/// Reads a Parquet file (through Parquet.Net) and maps each row to a record through a <see cref="RecordSchema"/>,
/// one row group at a time, so memory is bounded by the largest row group rather than the file.
/// </summary>
/// <remarks>
/// <para>
/// Text fields must be string columns. Chat messages may be a <c>list&lt;struct&lt;role, content&gt;&gt;</c> column
/// (what the record writer and Hugging Face <c>datasets</c> write; for ShareGPT, <c>struct&lt;from, value&gt;</c>) or a
/// string column holding a JSON array. The id may be a string or integer column; labels and metadata are string
/// columns holding JSON objects of strings; extra fields may be string, integer, floating-point or boolean columns.
/// </para>
/// <para>
/// A missing or unreadable column, and a truncated or corrupt file, throw <see cref="DataFileException"/> naming the
/// file. A row with a null where a value is required (or a JSON cell that does not fit the schema) is rejected with
/// its 1-based row number, the row as JSON, and the reason.
/// </para>
/// </remarks>
public sealed class ParquetSource : IDataSource
{
    private static readonly ParquetOptions Options = new() { TreatByteArrayAsString = true };

    /// <summary>Initializes a source over a Parquet file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each row maps to a record.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public ParquetSource(string path, RecordSchema schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        Path = path;
        Schema = schema;
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <summary>Gets the mapping from rows to records.</summary>
    public RecordSchema Schema { get; }

    /// <inheritdoc />
    /// <value><c>read.parquet</c>.</value>
    public string Id => "read.parquet";

    /// <inheritdoc />
    public RecordKind Kind => Schema.Kind;

    /// <inheritdoc />
    /// <value>Empty: a file has no dataset parents.</value>
    public IReadOnlyList<DatasetReference> Parents => [];

    /// <inheritdoc />
    /// <exception cref="DataFileException">The file cannot be read.</exception>
    public async ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var content = await DatasetFingerprint.HashFileAsync(Path, cancellationToken).ConfigureAwait(false);
        var parameters = Schema.Parameters.Add("file", System.IO.Path.GetFileName(Path));
        return DatasetFingerprint.Combine(content, Id, 1, parameters);
    }

    /// <inheritdoc />
    /// <exception cref="DataFileException">The file cannot be opened, is not a readable Parquet file (truncated or corrupt), or lacks a column the schema needs.</exception>
    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var plan = ParquetReadPlan.Create(Path, Schema, reader.Schema);
            long row = 0;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                var batch = await ReadGroupAsync(reader, plan, group, cancellationToken).ConfigureAwait(false);
                for (var index = 0; index < batch.Rows; index++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    row++;
                    var record = plan.Map(batch, index, row, out var reason);
                    if (record is null)
                    {
                        context.RejectRaw(plan.Describe(batch, index), reason!, new RecordSource(Path, row));
                        continue;
                    }

                    record.Source = new RecordSource(Path, row);
                    yield return record;
                }
            }
        }
    }

    private async Task<ParquetReader> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(Path, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            throw Wrap(e, "cannot be opened as Parquet (missing, truncated or not a Parquet file)");
        }
    }

    private async Task<ParquetBatch> ReadGroupAsync(ParquetReader reader, ParquetReadPlan plan, int group, CancellationToken cancellationToken)
    {
        try
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            return await plan.ReadAsync(rowGroup, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            throw Wrap(e, $"row group {group} cannot be read (truncated or corrupt file?)");
        }
    }

    private DataFileException Wrap(Exception e, string what) => new(Path, $"{what}: {e.Message}", e);

    private static bool IsFileProblem(Exception e) =>
        e is not OperationCanceledException and not OutOfMemoryException and not DataFileException;
}
