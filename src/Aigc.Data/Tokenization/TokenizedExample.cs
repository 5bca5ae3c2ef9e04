namespace Aigc.Data;

/// <summary>
/// One record as token ids and causal-LM labels of the same length: a label is the token's id where the loss is
/// computed and <see cref="RecordTokenizer.IgnoreIndex"/> (−100) where it is masked. Labels are not shifted: the
/// trainer compares the logits at position <c>t</c> with the label at <c>t + 1</c>, as Hugging Face models do.
/// </summary>
public sealed class TokenizedExample
{
    /// <summary>Initializes an example.</summary>
    /// <param name="id">The id of the record it came from.</param>
    /// <param name="inputIds">The token ids.</param>
    /// <param name="labels">The labels, one per token.</param>
    /// <param name="truncated">Whether the example was cut to a maximum length.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The label count differs from the token count.</exception>
    public TokenizedExample(string id, ReadOnlyMemory<int> inputIds, ReadOnlyMemory<int> labels, bool truncated = false)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (inputIds.Length != labels.Length)
        {
            throw new ArgumentException($"Example \"{id}\" has {inputIds.Length} tokens but {labels.Length} labels; they must be equal.", nameof(labels));
        }

        Id = id;
        InputIds = inputIds;
        Labels = labels;
        Truncated = truncated;
        var trained = 0;
        foreach (var label in labels.Span)
        {
            if (label != RecordTokenizer.IgnoreIndex)
            {
                trained++;
            }
        }

        TrainedTokenCount = trained;
    }

    /// <summary>Gets the id of the record the example came from.</summary>
    public string Id { get; }

    /// <summary>Gets the token ids.</summary>
    public ReadOnlyMemory<int> InputIds { get; }

    /// <summary>Gets the labels: the token id where the loss is computed, −100 where it is masked.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Gets the number of tokens.</summary>
    public int Length => InputIds.Length;

    /// <summary>Gets the number of tokens whose label is not −100.</summary>
    public int TrainedTokenCount { get; }

    /// <summary>Gets whether the example was cut to a maximum length (it then has no end-of-text token).</summary>
    public bool Truncated { get; }
}
