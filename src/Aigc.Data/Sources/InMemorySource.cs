using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Records held in memory (or produced by any enumerable) as a pipeline source. Each record is yielded as a copy,
/// so a pipeline's steps never change the caller's objects; a record of another kind than <see cref="Kind"/> is
/// rejected with its reason.
/// </summary>
public sealed class InMemorySource : IDataSource
{
    private readonly IEnumerable<DataRecord> _records;

    /// <summary>Initializes a source over records.</summary>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="records">The records; enumerated once for the fingerprint and once per read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public InMemorySource(RecordKind kind, IEnumerable<DataRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Kind = kind;
        _records = records;
    }

    /// <inheritdoc />
    /// <value><c>read.memory</c>.</value>
    public string Id => "read.memory";

    /// <inheritdoc />
    public RecordKind Kind { get; }

    /// <inheritdoc />
    /// <value>Empty.</value>
    public IReadOnlyList<DatasetReference> Parents => [];

    /// <inheritdoc />
    /// <remarks>The fingerprint hashes the kind and the canonical JSON of every record, in order.</remarks>
    public ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var hash = new XxHash128();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, DataRecordJson.WriterOptions);
        foreach (var record in _records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer.ResetWrittenCount();
            writer.Reset();
            DataRecordJson.Write(writer, record);
            writer.Flush();
            hash.Append(buffer.WrittenSpan);
            hash.Append("\n"u8);
        }

        var content = Convert.ToHexStringLower(hash.GetCurrentHash());
        return ValueTask.FromResult(DatasetFingerprint.Combine(content, Id, 1, new StepParameters().Add("kind", Kind.ToString())));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var record in _records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record.Kind != Kind)
            {
                context.RejectRaw(DataRecordJson.Serialize(record), $"the record is of kind {record.Kind}, not {Kind} like the source", record.Source);
                continue;
            }

            yield return record.Clone();
        }
    }
}
