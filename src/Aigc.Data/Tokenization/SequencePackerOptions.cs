using System.Globalization;

namespace Aigc.Data;

/// <summary>Settings of a <see cref="SequencePacker"/>.</summary>
public sealed class SequencePackerOptions
{
    /// <summary>Gets or sets the length of every packed sequence, in tokens (the model's context length or less).</summary>
    /// <value>The default value is <c>1024</c> (GPT-2's context length).</value>
    public int SequenceLength { get; set; } = 1024;

    /// <summary>Gets or sets the token id written into padding (its label is always −100 and its segment id 0).</summary>
    /// <value>The default value is <c>50256</c> (GPT-2's <c>&lt;|endoftext|&gt;</c>, as GPT-2 has no pad token).</value>
    public int PadTokenId { get; set; } = RecordTokenizer.Gpt2EndOfTextId;

    /// <summary>Gets or sets how examples are placed into sequences.</summary>
    /// <value>The default value is <see cref="PackingStrategy.Greedy"/>.</value>
    public PackingStrategy Strategy { get; set; } = PackingStrategy.Greedy;

    /// <summary>Gets or sets what happens to an example longer than <see cref="SequenceLength"/>.</summary>
    /// <value>The default value is <see cref="OversizedExampleHandling.Split"/>.</value>
    public OversizedExampleHandling OversizedExamples { get; set; } = OversizedExampleHandling.Split;

    /// <summary>
    /// Gets or sets how many sequences <see cref="PackingStrategy.Greedy"/> keeps open for later examples to fill
    /// (1 is next-fit: a sequence is closed as soon as an example does not fit; more pack tighter, in a different order).
    /// </summary>
    /// <value>The default value is <c>1</c>.</value>
    public int MaxOpenSequences { get; set; } = 1;

    /// <summary>Gets or sets whether the sequences still partly filled at the end of the stream are dropped instead of padded.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DropFinalPartialSequences { get; set; }

    /// <summary>
    /// Gets or sets whether position ids restart at 0 at each example (segment) in a sequence, as if each example
    /// were alone; otherwise they run 0 … <see cref="SequenceLength"/> − 1 over the whole sequence.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResetPositionIds { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the first token of a segment that follows another in the same sequence gets label −100,
    /// so no token is trained to be predicted from the previous example (as in an unpacked batch).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool MaskSegmentStarts { get; set; } = true;

    /// <summary>Gets the settings in canonical form, for fingerprints and sidecar files.</summary>
    /// <returns>The parameters.</returns>
    public IReadOnlyDictionary<string, string> ToParameters() => new StepParameters()
        .Add("sequence_length", SequenceLength)
        .Add("pad_token_id", PadTokenId)
        .Add("strategy", Strategy.ToString())
        .Add("oversized_examples", OversizedExamples.ToString())
        .Add("max_open_sequences", MaxOpenSequences)
        .Add("drop_final_partial_sequences", DropFinalPartialSequences)
        .Add("reset_position_ids", ResetPositionIds)
        .Add("mask_segment_starts", MaskSegmentStarts);

    /// <summary>Checks every setting and throws one exception listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message lists each).</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (SequenceLength < 2)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SequenceLength must be at least 2, not {SequenceLength}."));
        }

        if (PadTokenId < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PadTokenId cannot be negative ({PadTokenId})."));
        }

        if (MaxOpenSequences is < 1 or > 1024)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxOpenSequences must be between 1 and 1024, not {MaxOpenSequences}."));
        }

        if (!Enum.IsDefined(Strategy))
        {
            errors.Add($"Strategy {Strategy} is not a defined value.");
        }

        if (!Enum.IsDefined(OversizedExamples))
        {
            errors.Add($"OversizedExamples {OversizedExamples} is not a defined value.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid sequence packer options: " + string.Join(" ", errors));
        }
    }
}
