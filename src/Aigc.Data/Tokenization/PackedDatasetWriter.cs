using System.Globalization;

namespace Aigc.Data;

/// <summary>
/// Writes packed sequences to a <c>.tokens</c> file (a small header, then four int32 little-endian arrays per
/// sequence; see <see cref="PackedDatasetReader"/>) and its sidecar JSON. The file appears under its name only when
/// <see cref="CompleteAsync"/> succeeds; a writer disposed before that deletes what it wrote.
/// </summary>
/// <remarks>Not thread-safe: write from one task at a time.</remarks>
public sealed class PackedDatasetWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly string _temporaryPath;
    private readonly byte[] _buffer;
    private bool _completed;
    private bool _disposed;

    private PackedDatasetWriter(string path, string temporaryPath, FileStream stream, int sequenceLength, int vocabularySize, int padTokenId, bool resetPositionIds)
    {
        Path = path;
        _temporaryPath = temporaryPath;
        _stream = stream;
        SequenceLength = sequenceLength;
        VocabularySize = vocabularySize;
        PadTokenId = padTokenId;
        ResetPositionIds = resetPositionIds;
        _buffer = new byte[PackedDatasetFormat.SequenceBytes(sequenceLength)];
    }

    /// <summary>Gets the path of the <c>.tokens</c> file.</summary>
    public string Path { get; }

    /// <summary>Gets the length of every sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Gets the vocabulary size (0 when unknown); ids at or above it are refused.</summary>
    public int VocabularySize { get; }

    /// <summary>Gets the pad token id recorded in the header.</summary>
    public int PadTokenId { get; }

    /// <summary>Gets whether the position ids restart at each segment (recorded in the header).</summary>
    public bool ResetPositionIds { get; }

    /// <summary>Gets how many sequences were written.</summary>
    public long Count { get; private set; }

    /// <summary>Creates a writer; the data goes to a temporary file next to <paramref name="path"/> until completed.</summary>
    /// <param name="path">The <c>.tokens</c> file to create (replaced when it exists).</param>
    /// <param name="sequenceLength">The length of every sequence.</param>
    /// <param name="vocabularySize">The vocabulary size, or 0 when unknown.</param>
    /// <param name="padTokenId">The pad token id.</param>
    /// <param name="resetPositionIds">Whether position ids restart at each segment.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is below 1 or too large, or <paramref name="vocabularySize"/> or <paramref name="padTokenId"/> is negative.</exception>
    /// <exception cref="DataFileException">The file cannot be created.</exception>
    public static PackedDatasetWriter Create(string path, int sequenceLength, int vocabularySize = 0, int padTokenId = RecordTokenizer.Gpt2EndOfTextId, bool resetPositionIds = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceLength, 1 << 24);
        ArgumentOutOfRangeException.ThrowIfNegative(vocabularySize);
        ArgumentOutOfRangeException.ThrowIfNegative(padTokenId);
        if (vocabularySize > 0)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(padTokenId, vocabularySize);
        }

        var full = System.IO.Path.GetFullPath(path);
        var temporary = full + ".tmp";
        FileStream stream;
        try
        {
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(full, "cannot be created: " + e.Message, e);
        }

        // The header, count included, is written by CompleteAsync; sequences start after it.
        stream.Position = PackedDatasetFormat.HeaderSize;
        return new PackedDatasetWriter(full, temporary, stream, sequenceLength, vocabularySize, padTokenId, resetPositionIds);
    }

    /// <summary>Appends one sequence.</summary>
    /// <param name="sequence">The sequence; its length must be <see cref="SequenceLength"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the sequence is buffered or written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The sequence has the wrong length, an id outside the vocabulary, a label that is neither −100 nor a valid id, or a negative position or segment id.</exception>
    /// <exception cref="ObjectDisposedException">The writer was completed or disposed.</exception>
    public async ValueTask WriteAsync(PackedSequence sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ObjectDisposedException.ThrowIf(_completed || _disposed, this);
        Validate(sequence);
        var arrayBytes = SequenceLength * sizeof(int);
        PackedDatasetFormat.WriteInt32s(sequence.InputIds.Span, _buffer.AsSpan(0, arrayBytes));
        PackedDatasetFormat.WriteInt32s(sequence.Labels.Span, _buffer.AsSpan(arrayBytes, arrayBytes));
        PackedDatasetFormat.WriteInt32s(sequence.PositionIds.Span, _buffer.AsSpan(2 * arrayBytes, arrayBytes));
        PackedDatasetFormat.WriteInt32s(sequence.SegmentIds.Span, _buffer.AsSpan(3 * arrayBytes, arrayBytes));
        await _stream.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        Count++;
    }

    /// <summary>
    /// Writes the sequence count into the header, moves the file to <see cref="Path"/> and writes the sidecar JSON
    /// (<paramref name="info"/> with this writer's length, count, vocabulary size, pad id and position mode).
    /// </summary>
    /// <param name="info">What to record in the sidecar, or <see langword="null"/> for the file facts alone.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The information written to the sidecar.</returns>
    /// <exception cref="ObjectDisposedException">The writer was completed or disposed.</exception>
    /// <exception cref="DataFileException">The file cannot be finished or moved.</exception>
    public async Task<PackedDatasetInfo> CompleteAsync(PackedDatasetInfo? info = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed || _disposed, this);
        var header = new byte[PackedDatasetFormat.HeaderSize];
        PackedDatasetFormat.WriteHeader(header, SequenceLength, Count, VocabularySize, PadTokenId, ResetPositionIds);
        try
        {
            _stream.Position = 0;
            await _stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            _completed = true;
            File.Move(_temporaryPath, Path, overwrite: true);
            var written = (info ?? new PackedDatasetInfo()) with
            {
                SequenceLength = SequenceLength,
                SequenceCount = Count,
                VocabularySize = VocabularySize,
                PadTokenId = PadTokenId,
                ResetPositionIds = ResetPositionIds,
            };
            await written.WriteAsync(PackedDatasetInfo.GetSidecarPath(Path), cancellationToken).ConfigureAwait(false);
            return written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DataFileException)
        {
            throw new DataFileException(Path, "cannot be completed: " + e.Message, e);
        }
    }

    /// <summary>Closes the writer; when it was not completed, the partial file is deleted.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_completed)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(_temporaryPath);
        }
    }

    private void Validate(PackedSequence sequence)
    {
        if (sequence.Length != SequenceLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The sequence has {sequence.Length} tokens; this file holds sequences of {SequenceLength}."),
                nameof(sequence));
        }

        var limit = VocabularySize > 0 ? VocabularySize : int.MaxValue;
        var ids = sequence.InputIds.Span;
        var labels = sequence.Labels.Span;
        var positions = sequence.PositionIds.Span;
        var segments = sequence.SegmentIds.Span;
        for (var i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)limit || (labels[i] != RecordTokenizer.IgnoreIndex && (uint)labels[i] >= (uint)limit) || positions[i] < 0 || segments[i] < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Position {i} of the sequence has id {ids[i]}, label {labels[i]}, position {positions[i]}, segment {segments[i]}; ids must be in [0, {limit}), labels an id or -100, positions and segments not negative."),
                    nameof(sequence));
            }
        }
    }
}
