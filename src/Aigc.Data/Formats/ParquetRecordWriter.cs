using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Aigc.Data;

/// <summary>
/// Writes records to a Parquet file (through Parquet.Net) in row groups of a bounded size. The columns are
/// <c>id</c>, the canonical columns of the kind as required strings (<c>text</c>; <c>instruction, input, output</c>;
/// <c>prompt, chosen, rejected</c>; <c>image, caption</c>), then <c>labels</c> and <c>metadata</c> as optional
/// strings holding JSON objects (null when a record has none).
/// </summary>
/// <remarks>
/// Chat messages are written as <c>messages: list&lt;struct&lt;role: string, content: string&gt;&gt;</c>, the layout
/// Hugging Face <c>datasets</c> and pyarrow use for OpenAI-style conversations, so the file opens there with the
/// messages as a list of dicts (rather than a JSON string that every reader would have to parse again).
/// A row group is written every <see cref="RowGroupSize"/> records, or earlier once the buffered text reaches
/// 64 MiB characters, so memory stays bounded whatever the record count.
/// </remarks>
public sealed class ParquetRecordWriter : IRecordWriter
{
    /// <summary>The default number of records per row group.</summary>
    public const int DefaultRowGroupSize = 10_000;

    private const long MaxBufferedChars = 64L * 1024 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string[] _columns;
    private readonly ParquetSchema _schema;
    private readonly DataField _id;
    private readonly DataField[] _fields;
    private readonly DataField? _role;
    private readonly DataField? _content;
    private readonly DataField _labels;
    private readonly DataField _metadata;
    private readonly int _emptyListLevel;
    private readonly int _elementLevel;
    private readonly List<string> _ids = [];
    private readonly List<string>[] _values;
    private readonly List<string> _roles = [];
    private readonly List<string> _contents = [];
    private readonly List<int> _definitions = [];
    private readonly List<int> _repetitions = [];
    private readonly List<string?> _labelValues = [];
    private readonly List<string?> _metadataValues = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly ArrayBufferWriter<byte> _unescaped = new(256);
    private ParquetWriter? _writer;
    private long _bufferedChars;
    private bool _disposed;

    /// <summary>Initializes a writer that creates (or overwrites) a file, creating its folder, with row groups of <see cref="DefaultRowGroupSize"/> records.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public ParquetRecordWriter(string path, RecordKind kind)
        : this(path, kind, DefaultRowGroupSize)
    {
    }

    /// <summary>Initializes a writer that creates (or overwrites) a file, creating its folder.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="rowGroupSize">The most records per row group.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowGroupSize"/> is less than 1.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public ParquetRecordWriter(string path, RecordKind kind, int rowGroupSize)
        : this(CreateStream(path, rowGroupSize), kind, rowGroupSize, leaveOpen: false)
    {
    }

    /// <summary>Initializes a writer over a stream.</summary>
    /// <param name="stream">A writable, seekable stream.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="rowGroupSize">The most records per row group.</param>
    /// <param name="leaveOpen">Whether to leave the stream open when the writer is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable and seekable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowGroupSize"/> is less than 1.</exception>
    public ParquetRecordWriter(Stream stream, RecordKind kind, int rowGroupSize, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        if (!stream.CanWrite || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be writable and seekable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Kind = kind;
        RowGroupSize = rowGroupSize;
        _columns = CanonicalColumns.For(kind);
        _id = new DataField<string>(RecordSchema.DefaultIdField, nullable: false);
        _labels = new DataField<string>(RecordSchema.DefaultLabelsField, nullable: true);
        _metadata = new DataField<string>(RecordSchema.DefaultMetadataField, nullable: true);
        var fields = new List<Field> { _id };
        if (kind == RecordKind.Chat)
        {
            _fields = [];
            _values = [];
            _role = new DataField<string>("role", nullable: false);
            _content = new DataField<string>("content", nullable: false);
            var element = new StructField(ListField.ElementName, _role, _content);
            var messages = new ListField(DataRecordJson.MessagesProperty, element);
            fields.Add(messages);
            fields.Add(_labels);
            fields.Add(_metadata);
            _schema = new ParquetSchema(fields);
            _emptyListLevel = messages.MaxDefinitionLevel - 1;
            _elementLevel = _role.MaxDefinitionLevel;
        }
        else
        {
            _fields = new DataField[_columns.Length];
            _values = new List<string>[_columns.Length];
            for (var i = 0; i < _columns.Length; i++)
            {
                _fields[i] = new DataField<string>(_columns[i], nullable: false);
                _values[i] = [];
                fields.Add(_fields[i]);
            }

            fields.Add(_labels);
            fields.Add(_metadata);
            _schema = new ParquetSchema(fields);
        }
    }

    /// <summary>Gets the kind of the records written.</summary>
    public RecordKind Kind { get; }

    /// <summary>Gets the most records per row group.</summary>
    /// <value>The default value is <c>10000</c>.</value>
    public int RowGroupSize { get; }

    /// <summary>Gets how many records were written.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record is not of the writer's kind.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public async ValueTask WriteAsync(DataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CanonicalColumns.CheckKind(record, Kind);
        _ids.Add(record.Id);
        _bufferedChars += record.Id.Length;
        if (Kind == RecordKind.Chat)
        {
            if (record.Fields.Count == 0)
            {
                _roles.Add(string.Empty);
                _contents.Add(string.Empty);
                _definitions.Add(_emptyListLevel);
                _repetitions.Add(0);
            }

            for (var i = 0; i < record.Fields.Count; i++)
            {
                var field = record.Fields[i];
                _roles.Add(field.Name);
                _contents.Add(field.Value);
                _definitions.Add(_elementLevel);
                _repetitions.Add(i == 0 ? 0 : 1);
                _bufferedChars += field.Name.Length + field.Value.Length;
            }
        }
        else
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var value = CanonicalColumns.Value(record, _columns[i]);
                _values[i].Add(value);
                _bufferedChars += value.Length;
            }
        }

        var labels = CanonicalColumns.MapJson(record.HasLabels, record.Labels, _scratch, _unescaped);
        var metadata = CanonicalColumns.MapJson(record.HasMetadata, record.Metadata, _scratch, _unescaped);
        _labelValues.Add(labels);
        _metadataValues.Add(metadata);
        _bufferedChars += (labels?.Length ?? 0) + (metadata?.Length ?? 0);
        Count++;
        if (_ids.Count >= RowGroupSize || _bufferedChars >= MaxBufferedChars)
        {
            await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_ids.Count > 0 || _writer is null)
            {
                await FlushRowGroupAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }

            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static FileStream CreateStream(string path, int rowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        return RecordFileStreams.Create(path);
    }

    private static ReadOnlyMemory<char>[] ToMemory(List<string> values)
    {
        var result = new ReadOnlyMemory<char>[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[i].AsMemory();
        }

        return result;
    }

    private static ReadOnlyMemory<char>?[] ToNullableMemory(List<string?> values)
    {
        var result = new ReadOnlyMemory<char>?[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[i]?.AsMemory();
        }

        return result;
    }

    private async ValueTask FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        _writer ??= await ParquetWriter.CreateAsync(_schema, _stream, null, false, cancellationToken).ConfigureAwait(false);
        if (_ids.Count == 0)
        {
            return;
        }

        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<ReadOnlyMemory<char>>(_id, ToMemory(_ids), null, null, cancellationToken).ConfigureAwait(false);
            if (Kind == RecordKind.Chat)
            {
                await WriteLeafAsync(group, _role!, _roles, cancellationToken).ConfigureAwait(false);
                await WriteLeafAsync(group, _content!, _contents, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                for (var i = 0; i < _fields.Length; i++)
                {
                    await group.WriteAsync<ReadOnlyMemory<char>>(_fields[i], ToMemory(_values[i]), null, null, cancellationToken).ConfigureAwait(false);
                }
            }

            await group.WriteAsync<ReadOnlyMemory<char>>(_labels, ToNullableMemory(_labelValues), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(_metadata, ToNullableMemory(_metadataValues), null, null, cancellationToken).ConfigureAwait(false);
            group.CompleteValidate();
        }

        _ids.Clear();
        foreach (var values in _values)
        {
            values.Clear();
        }

        _roles.Clear();
        _contents.Clear();
        _definitions.Clear();
        _repetitions.Clear();
        _labelValues.Clear();
        _metadataValues.Clear();
        _bufferedChars = 0;
    }

    private async ValueTask WriteLeafAsync(ParquetRowGroupWriter group, DataField leaf, List<string> values, CancellationToken cancellationToken)
    {
        // Only defined entries carry a value; an empty list is one entry at the empty-list level without a value.
        var defined = new List<ReadOnlyMemory<char>>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (_definitions[i] == _elementLevel)
            {
                defined.Add(values[i].AsMemory());
            }
        }

        await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(
            leaf,
            defined.ToArray(),
            _definitions.ToArray(),
            _repetitions.ToArray(),
            cancellationToken).ConfigureAwait(false);
    }
}
