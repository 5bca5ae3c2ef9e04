namespace Aigc.Data;

/// <summary>
/// One fixed-length training sequence: token ids, causal-LM labels (−100 where the loss is masked, padding
/// included), position ids and segment ids (1, 2, … for the examples packed into it, in order; 0 for padding).
/// </summary>
/// <remarks>
/// The attention mask for padding is <c>SegmentIds[i] != 0</c> (<see cref="GetAttentionMask"/>). A trainer that
/// wants examples not to attend to each other builds a block-diagonal causal mask: position <c>i</c> attends to
/// <c>j ≤ i</c> when <c>SegmentIds[i] == SegmentIds[j] != 0</c>. Labels are not shifted (see <see cref="TokenizedExample"/>).
/// </remarks>
public sealed class PackedSequence
{
    /// <summary>Initializes a sequence from its four arrays.</summary>
    /// <param name="inputIds">The token ids.</param>
    /// <param name="labels">The labels (token id, or −100 where masked).</param>
    /// <param name="positionIds">The position ids.</param>
    /// <param name="segmentIds">The segment ids (0 for padding).</param>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty, or a segment id is negative.</exception>
    public PackedSequence(ReadOnlyMemory<int> inputIds, ReadOnlyMemory<int> labels, ReadOnlyMemory<int> positionIds, ReadOnlyMemory<int> segmentIds)
    {
        var length = inputIds.Length;
        if (length == 0 || labels.Length != length || positionIds.Length != length || segmentIds.Length != length)
        {
            throw new ArgumentException(
                $"A packed sequence needs four non-empty arrays of one length; got {length} ids, {labels.Length} labels, {positionIds.Length} positions, {segmentIds.Length} segments.",
                nameof(inputIds));
        }

        var tokens = 0;
        var segments = 0;
        foreach (var segment in segmentIds.Span)
        {
            if (segment < 0)
            {
                throw new ArgumentException($"Segment id {segment} is negative; segments are 1, 2, … and padding is 0.", nameof(segmentIds));
            }

            if (segment != 0)
            {
                tokens++;
                segments = Math.Max(segments, segment);
            }
        }

        InputIds = inputIds;
        Labels = labels;
        PositionIds = positionIds;
        SegmentIds = segmentIds;
        TokenCount = tokens;
        SegmentCount = segments;
    }

    internal PackedSequence(int[] inputIds, int[] labels, int[] positionIds, int[] segmentIds, int tokenCount, int segmentCount)
    {
        InputIds = inputIds;
        Labels = labels;
        PositionIds = positionIds;
        SegmentIds = segmentIds;
        TokenCount = tokenCount;
        SegmentCount = segmentCount;
    }

    /// <summary>Gets the token ids (padding holds the pad token id).</summary>
    public ReadOnlyMemory<int> InputIds { get; }

    /// <summary>Gets the labels: the token id where the loss is computed, −100 where it is masked and in padding.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Gets the position ids.</summary>
    public ReadOnlyMemory<int> PositionIds { get; }

    /// <summary>Gets the segment ids: 1, 2, … for the examples (or example parts) in the sequence, 0 for padding.</summary>
    public ReadOnlyMemory<int> SegmentIds { get; }

    /// <summary>Gets the sequence length.</summary>
    public int Length => InputIds.Length;

    /// <summary>Gets the number of real (non-pad) tokens.</summary>
    public int TokenCount { get; }

    /// <summary>Gets the number of segments (examples or example parts).</summary>
    public int SegmentCount { get; }

    /// <summary>Returns the padding attention mask: 1 for real tokens, 0 for padding.</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    public int[] GetAttentionMask()
    {
        var mask = new int[Length];
        var segments = SegmentIds.Span;
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = segments[i] != 0 ? 1 : 0;
        }

        return mask;
    }
}
