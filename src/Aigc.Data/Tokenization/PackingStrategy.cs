namespace Aigc.Data;

/// <summary>How a <see cref="SequencePacker"/> places examples into fixed-length sequences.</summary>
public enum PackingStrategy
{
    /// <summary>
    /// Keep each example whole: it goes into the first open sequence with room for it, else into a new one (the
    /// fullest open sequence is closed and padded when <see cref="SequencePackerOptions.MaxOpenSequences"/> are open).
    /// Only examples longer than a sequence are split. Best for fine-tuning, where a split example loses its prompt.
    /// </summary>
    Greedy = 0,

    /// <summary>
    /// Concatenate examples into one stream and cut it every <see cref="SequencePackerOptions.SequenceLength"/> tokens:
    /// no padding but in the last sequence, examples split at sequence boundaries. Best for pre-training on text.
    /// </summary>
    Concatenate = 1,
}
