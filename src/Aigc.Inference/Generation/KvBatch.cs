using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// The KV cache of a set of rows that run together, in two preallocated buffers per layer that take turns: a step
/// feeds one as <c>past</c> [rows, heads, L, head_size] and ONNX Runtime writes <c>present</c> [rows, heads, L + s, head_size]
/// straight into the other, which becomes the next step's past. No managed code copies the cache per step.
/// </summary>
/// <remarks>
/// <para>
/// A row's cached positions are <c>[0, packed)</c> and <c>[gapEnd, L)</c>: repacking (when rows join, leave or are
/// reordered by beam search) copies each row's positions contiguously into the idle buffer, once, and the rows then
/// share the layout length of the longest (every row's gap ends there); the attention mask hides each row's gap.
/// Steps append at <c>L</c> for every row. A batch of prompts prefilled together pads each on the left to the
/// longest: there the gap is the padding, <c>[0, padding)</c>. The buffers grow by doubling and shrink when four
/// times too large.
/// </para>
/// </remarks>
internal sealed class KvBatch
{
    private readonly DecoderModel _model;
    private float[][] _keys;
    private float[][] _values;
    private float[][] _idleKeys;
    private float[][] _idleValues;
    private int[] _packed = new int[4];
    private int[] _gapEnd = new int[4];
    private long[] _ids = new long[64];
    private long[] _positions = new long[64];
    private long[] _adapterIds = new long[16];
    private long[] _mask = new long[256];
    private float[] _logits = [];

    public KvBatch(DecoderModel model)
    {
        _model = model;
        _keys = NewLayers(model.Layers);
        _values = NewLayers(model.Layers);
        _idleKeys = NewLayers(model.Layers);
        _idleValues = NewLayers(model.Layers);
    }

    /// <summary>Gets the rows' sequences, in row order.</summary>
    public List<SequenceState> Rows { get; } = [];

    /// <summary>Gets the layout length L: positions per row in the current buffer.</summary>
    public int Length { get; private set; }

    /// <summary>Gets or sets how many sequences still read this batch's rows (prefill batches, until their sequences join a group).</summary>
    public int Holders { get; set; }

    /// <summary>Gets the token ids fed to the next step, [rows, sequence].</summary>
    public long[] Ids => _ids;

    /// <summary>Gets the position ids fed to the next step, [rows, sequence].</summary>
    public long[] Positions => _positions;

    /// <summary>Gets each row's adapter slot for the next step, [rows] (per-row adapter exports only).</summary>
    public long[] AdapterIds => _adapterIds;

    /// <summary>Gets the floats allocated for keys and values.</summary>
    public long AllocatedFloats
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _keys.Length; i++)
            {
                total += _keys[i].Length + _values[i].Length + _idleKeys[i].Length + _idleValues[i].Length;
            }

            return total;
        }
    }

    /// <summary>Gets the floats of keys and values that hold cached positions.</summary>
    public long UsedFloats
    {
        get
        {
            long positions = 0;
            for (var r = 0; r < Rows.Count; r++)
            {
                positions += RowLength(r);
            }

            return positions * _model.PositionStride * 2 * _model.Layers;
        }
    }

    /// <summary>Returns the number of cached positions of row <paramref name="row"/>.</summary>
    public int RowLength(int row) => _packed[row] + (Length - _gapEnd[row]);

    /// <summary>Makes room for the inputs of a step of <paramref name="sequence"/> tokens per row.</summary>
    public void PrepareInputs(int sequence)
    {
        var needed = Rows.Count * sequence;
        if (_ids.Length < needed)
        {
            _ids = new long[needed * 2];
            _positions = new long[needed * 2];
        }

        if (_adapterIds.Length < Rows.Count)
        {
            _adapterIds = new long[Rows.Count * 2];
        }
    }

    /// <summary>
    /// Runs a step over every row with the ids and positions already in <see cref="Ids"/> and <see cref="Positions"/>,
    /// and returns the logits [rows, sequence, vocab], or with <paramref name="lastOnly"/> those of each row's last
    /// position at least (models with <c>logits_to_keep</c> compute only those: [rows, 1, vocab]; read a row's last
    /// position at the end of its block). With <paramref name="stack"/> (a per-row adapter export), each row uses
    /// the slot in <see cref="AdapterIds"/>.
    /// </summary>
    public ReadOnlySpan<float> Run(RunOptions runOptions, int sequence, LoraStack? stack = null, bool lastOnly = false)
    {
        var rows = Rows.Count;
        var total = Length + sequence;
        var maskLength = rows * total;
        if (_mask.Length < maskLength)
        {
            _mask = new long[maskLength * 2];
        }

        for (var r = 0; r < rows; r++)
        {
            var mask = _mask.AsSpan(r * total, total);
            mask[.._packed[r]].Fill(1);
            mask[_packed[r].._gapEnd[r]].Clear();
            mask[_gapEnd[r]..].Fill(1);
        }

        var logitsLength = rows * (lastOnly && _model.SupportsLogitsToKeep ? 1 : sequence) * _model.VocabSize;
        if (_logits.Length < logitsLength)
        {
            _logits = new float[logitsLength];
        }

        var presentFloats = rows * _model.PositionStride * total;
        EnsureIdle(presentFloats);
        _model.Run(runOptions, rows, sequence, Length, _ids, _mask, _positions, _keys, _values, _logits, _idleKeys, _idleValues, stack is null ? null : _adapterIds, stack, lastOnly);
        Swap();
        Length = total;
        return _logits.AsSpan(0, logitsLength);
    }

    /// <summary>
    /// Rebuilds the rows from <paramref name="sources"/> (rows of this batch or of others, repeats allowed), copying
    /// each one's cached positions contiguously into the idle buffer, which then becomes current.
    /// </summary>
    public void Repack(List<(KvBatch Source, int Row, SequenceState Sequence)> sources)
    {
        var length = 0;
        foreach (var (source, row, _) in sources)
        {
            length = Math.Max(length, source.RowLength(row));
        }

        var stride = _model.PositionStride;
        var headSize = _model.HeadSize;
        var rows = sources.Count;
        EnsureIdle(rows * stride * (length + 1));
        for (var layer = 0; layer < _model.Layers; layer++)
        {
            for (var r = 0; r < rows; r++)
            {
                var (source, row, _) = sources[r];
                var keys = ReferenceEquals(source, this) ? _keys[layer] : source._keys[layer];
                var values = ReferenceEquals(source, this) ? _values[layer] : source._values[layer];
                source.CopyRow(keys, row, _idleKeys[layer], r, length, headSize);
                source.CopyRow(values, row, _idleValues[layer], r, length, headSize);
            }
        }

        // Each row is now contiguous: its packed length is its whole length (read before _packed changes: a source may be this batch).
        var lengths = new int[Math.Max(rows * 2, 4)];
        for (var r = 0; r < rows; r++)
        {
            lengths[r] = sources[r].Source.RowLength(sources[r].Row);
        }

        _packed = lengths;
        _gapEnd = new int[lengths.Length];
        Array.Fill(_gapEnd, length);
        Rows.Clear();
        foreach (var (_, _, sequence) in sources)
        {
            Rows.Add(sequence);
        }

        Swap();
        Length = length;
    }

    /// <summary>Starts an empty single-row batch for a sequence about to prefill.</summary>
    public void StartSingle(SequenceState sequence)
    {
        Rows.Clear();
        Rows.Add(sequence);
        _packed[0] = 0;
        _gapEnd[0] = 0;
        Length = 0;
    }

    /// <summary>
    /// Starts an empty batch for whole prompts prefilled together in one run of <paramref name="width"/> tokens a
    /// row: each row's prompt is padded on the left to the width, and the padding is the row's masked gap. Fills
    /// <see cref="Ids"/> and <see cref="Positions"/> for that run.
    /// </summary>
    public void StartPrefill(List<SequenceState> sequences, int width)
    {
        Rows.Clear();
        Rows.AddRange(sequences);
        if (_packed.Length < sequences.Count)
        {
            _packed = new int[sequences.Count * 2];
            _gapEnd = new int[sequences.Count * 2];
        }

        Length = 0;
        PrepareInputs(width);
        for (var r = 0; r < sequences.Count; r++)
        {
            var prompt = sequences[r].Tokens;
            var padding = width - sequences[r].PromptLength;
            _packed[r] = 0;
            _gapEnd[r] = padding;
            var ids = _ids.AsSpan(r * width, width);
            var positions = _positions.AsSpan(r * width, width);
            ids[..padding].Fill(prompt[0]); // any valid token: masked out
            positions[..padding].Clear();
            for (var t = 0; t < sequences[r].PromptLength; t++)
            {
                ids[padding + t] = prompt[t];
                positions[padding + t] = t;
            }
        }
    }

    /// <summary>Drops every row (the buffers are kept for reuse).</summary>
    public void Clear()
    {
        Rows.Clear();
        Length = 0;
        Holders = 0;
    }

    private void CopyRow(float[] source, int row, float[] target, int targetRow, int targetLength, int headSize)
    {
        var heads = _model.Heads;
        var packed = _packed[row];
        var gapEnd = _gapEnd[row];
        var appended = Length - gapEnd;
        for (var h = 0; h < heads; h++)
        {
            var from = ((row * heads) + h) * Length * headSize;
            var to = ((targetRow * heads) + h) * targetLength * headSize;
            source.AsSpan(from, packed * headSize).CopyTo(target.AsSpan(to));
            source.AsSpan(from + (gapEnd * headSize), appended * headSize).CopyTo(target.AsSpan(to + (packed * headSize)));
        }
    }

    private void EnsureIdle(int floats)
    {
        for (var i = 0; i < _idleKeys.Length; i++)
        {
            if (_idleKeys[i].Length < floats || _idleKeys[i].Length > Math.Max(floats * 4, 1 << 16))
            {
                _idleKeys[i] = new float[floats + (floats / 2)];
                _idleValues[i] = new float[floats + (floats / 2)];
            }
        }
    }

    private void Swap()
    {
        (_keys, _idleKeys) = (_idleKeys, _keys);
        (_values, _idleValues) = (_idleValues, _values);
    }

    private static float[][] NewLayers(int layers)
    {
        var result = new float[layers][];
        for (var i = 0; i < layers; i++)
        {
            result[i] = [];
        }

        return result;
    }
}
