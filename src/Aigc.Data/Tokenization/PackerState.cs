namespace Aigc.Data;

/// <summary>The open sequences of one packing run and the rules that fill and close them.</summary>
internal sealed class PackerState
{
    private readonly int _length;
    private readonly int _pad;
    private readonly bool _concatenate;
    private readonly bool _dropOversized;
    private readonly int _maxOpen;
    private readonly bool _dropFinal;
    private readonly bool _resetPositions;
    private readonly bool _maskStarts;
    private readonly PackingStatistics? _statistics;
    private readonly List<Bin> _open = [];

    public PackerState(SequencePackerOptions options, PackingStatistics? statistics)
    {
        _length = options.SequenceLength;
        _pad = options.PadTokenId;
        _concatenate = options.Strategy == PackingStrategy.Concatenate;
        _dropOversized = options.OversizedExamples == OversizedExampleHandling.Drop;
        _maxOpen = _concatenate ? 1 : options.MaxOpenSequences;
        _dropFinal = options.DropFinalPartialSequences;
        _resetPositions = options.ResetPositionIds;
        _maskStarts = options.MaskSegmentStarts;
        _statistics = statistics;
    }

    public void Add(TokenizedExample example, List<PackedSequence> output)
    {
        var count = example.Length;
        _statistics?.AddExample(count);
        if (count == 0)
        {
            return;
        }

        if (count > _length && _dropOversized)
        {
            _statistics?.AddDropped(count, example: true);
            return;
        }

        if (_concatenate)
        {
            var offset = 0;
            var pieces = 0;
            while (offset < count)
            {
                if (_open.Count == 0)
                {
                    _open.Add(new Bin(_length));
                }

                var bin = _open[0];
                var take = Math.Min(_length - bin.Used, count - offset);
                Append(bin, example, offset, take);
                offset += take;
                pieces++;
                if (bin.Used == _length)
                {
                    _open.RemoveAt(0);
                    output.Add(Close(bin));
                }
            }

            if (pieces > 1)
            {
                _statistics?.AddSplit();
            }

            return;
        }

        var start = 0;
        if (count > _length)
        {
            // Greedy keeps the head of an oversized example at the start of its own sequences, prompt first.
            _statistics?.AddSplit();
            while (count - start >= _length)
            {
                var bin = new Bin(_length);
                Append(bin, example, start, _length);
                output.Add(Close(bin));
                start += _length;
            }

            if (start == count)
            {
                return;
            }
        }

        Place(example, start, count - start, output);
    }

    public void Flush(List<PackedSequence> output)
    {
        foreach (var bin in _open)
        {
            if (_dropFinal)
            {
                _statistics?.AddDropped(bin.Used, example: false);
            }
            else
            {
                output.Add(Close(bin));
            }
        }

        _open.Clear();
    }

    private void Place(TokenizedExample example, int offset, int count, List<PackedSequence> output)
    {
        for (var i = 0; i < _open.Count; i++)
        {
            var bin = _open[i];
            if (_length - bin.Used >= count)
            {
                Append(bin, example, offset, count);
                if (bin.Used == _length)
                {
                    _open.RemoveAt(i);
                    output.Add(Close(bin));
                }

                return;
            }
        }

        if (_open.Count == _maxOpen)
        {
            // Close the fullest open sequence: it is the least likely to take another example.
            var fullest = 0;
            for (var i = 1; i < _open.Count; i++)
            {
                if (_open[i].Used > _open[fullest].Used)
                {
                    fullest = i;
                }
            }

            var closed = _open[fullest];
            _open.RemoveAt(fullest);
            output.Add(Close(closed));
        }

        var fresh = new Bin(_length);
        Append(fresh, example, offset, count);
        if (fresh.Used == _length)
        {
            output.Add(Close(fresh));
        }
        else
        {
            _open.Add(fresh);
        }
    }

    private void Append(Bin bin, TokenizedExample example, int offset, int count)
    {
        var start = bin.Used;
        var segment = ++bin.Segments;
        example.InputIds.Span.Slice(offset, count).CopyTo(bin.Ids.AsSpan(start));
        var labels = bin.Labels.AsSpan(start, count);
        example.Labels.Span.Slice(offset, count).CopyTo(labels);
        if (_maskStarts && start > 0)
        {
            // Not predicted from the previous example's last token.
            labels[0] = RecordTokenizer.IgnoreIndex;
        }

        var positions = bin.Positions.AsSpan(start, count);
        var first = _resetPositions ? 0 : start;
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = first + i;
        }

        bin.SegmentIds.AsSpan(start, count).Fill(segment);
        bin.Used += count;
    }

    private PackedSequence Close(Bin bin)
    {
        var used = bin.Used;
        if (used < _length)
        {
            bin.Ids.AsSpan(used).Fill(_pad);
            bin.Labels.AsSpan(used).Fill(RecordTokenizer.IgnoreIndex);
            if (_resetPositions)
            {
                bin.Positions.AsSpan(used).Clear();
            }
            else
            {
                for (var i = used; i < _length; i++)
                {
                    bin.Positions[i] = i;
                }
            }
        }

        var trained = 0;
        foreach (var label in bin.Labels.AsSpan(0, used))
        {
            if (label != RecordTokenizer.IgnoreIndex)
            {
                trained++;
            }
        }

        _statistics?.AddSequence(used, _length - used, trained);
        return new PackedSequence(bin.Ids, bin.Labels, bin.Positions, bin.SegmentIds, used, bin.Segments);
    }

    private sealed class Bin(int length)
    {
        public int[] Ids { get; } = new int[length];

        public int[] Labels { get; } = new int[length];

        public int[] Positions { get; } = new int[length];

        public int[] SegmentIds { get; } = new int[length];

        public int Used { get; set; }

        public int Segments { get; set; }
    }
}
