using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>A batch of packed sequences as int64 tensors on a device.</summary>
internal sealed class Batch
{
    private Batch(Tensor inputIds, Tensor labels, Tensor positionIds, Tensor attentionMask, long tokenCount)
    {
        InputIds = inputIds;
        Labels = labels;
        PositionIds = positionIds;
        AttentionMask = attentionMask;
        TokenCount = tokenCount;
    }

    public Tensor InputIds { get; }

    public Tensor Labels { get; }

    public Tensor PositionIds { get; }

    public Tensor AttentionMask { get; }

    public long TokenCount { get; }

    public static Batch Create(IReadOnlyList<PackedSequence> data, int[] indices, string device)
    {
        var length = data[indices[0]].Length;
        var count = indices.Length * length;
        var ids = new long[count];
        var labels = new long[count];
        var positions = new long[count];
        var mask = new long[count];
        long tokens = 0;
        for (var row = 0; row < indices.Length; row++)
        {
            var sequence = data[indices[row]];
            var offset = row * length;
            var idSpan = sequence.InputIds.Span;
            var labelSpan = sequence.Labels.Span;
            var positionSpan = sequence.PositionIds.Span;
            var segmentSpan = sequence.SegmentIds.Span;
            for (var i = 0; i < length; i++)
            {
                ids[offset + i] = idSpan[i];
                labels[offset + i] = labelSpan[i];
                positions[offset + i] = positionSpan[i];
                mask[offset + i] = segmentSpan[i] != 0 ? 1 : 0;
            }

            tokens += sequence.TokenCount;
        }

        long[] shape = [indices.Length, length];
        var target = torch.device(device);
        return new Batch(
            torch.tensor(ids, shape).to(target),
            torch.tensor(labels, shape).to(target),
            torch.tensor(positions, shape).to(target),
            torch.tensor(mask, shape).to(target),
            tokens);
    }

    /// <summary>Counts the labels the shifted loss scores (every label but the first of a row, when not −100).</summary>
    public static long CountLabels(IReadOnlyList<PackedSequence> data, int[] indices)
    {
        long count = 0;
        foreach (var index in indices)
        {
            var labels = data[index].Labels.Span;
            for (var i = 1; i < labels.Length; i++)
            {
                if (labels[i] != RecordTokenizer.IgnoreIndex)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
