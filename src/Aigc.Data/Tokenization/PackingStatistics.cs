using System.Globalization;

namespace Aigc.Data;

/// <summary>
/// Counts of a tokenize-and-pack run: records, examples, sequences and tokens, and <see cref="Efficiency"/>, the
/// share of sequence slots holding real tokens. Pass one instance to a run; not thread-safe.
/// </summary>
public sealed class PackingStatistics
{
    /// <summary>Gets how many records were tokenized into examples.</summary>
    public long Records { get; private set; }

    /// <summary>Gets how many records the tokenizer refused.</summary>
    public long RecordsRejected { get; private set; }

    /// <summary>Gets how many examples were cut to the tokenizer's maximum length.</summary>
    public long ExamplesTruncated { get; private set; }

    /// <summary>Gets how many examples reached the packer.</summary>
    public long Examples { get; private set; }

    /// <summary>Gets the total length of the examples that reached the packer, in tokens.</summary>
    public long ExampleTokens { get; private set; }

    /// <summary>Gets how many examples were split across sequences.</summary>
    public long ExamplesSplit { get; private set; }

    /// <summary>Gets how many examples the packer dropped as longer than a sequence.</summary>
    public long ExamplesDropped { get; private set; }

    /// <summary>Gets how many example tokens were dropped (with oversized examples or final partial sequences).</summary>
    public long TokensDropped { get; private set; }

    /// <summary>Gets how many sequences were produced.</summary>
    public long Sequences { get; private set; }

    /// <summary>Gets how many real (non-pad) tokens the sequences hold.</summary>
    public long Tokens { get; private set; }

    /// <summary>Gets how many pad tokens the sequences hold.</summary>
    public long PadTokens { get; private set; }

    /// <summary>Gets how many tokens of the sequences are trained (label not −100).</summary>
    public long TrainedTokens { get; private set; }

    /// <summary>Gets the packing efficiency: real tokens over all sequence slots (1 when there are no sequences).</summary>
    public double Efficiency => Tokens + PadTokens == 0 ? 1 : (double)Tokens / (Tokens + PadTokens);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Sequences} sequences, {Tokens} tokens ({TrainedTokens} trained), {PadTokens} pad, efficiency {Efficiency:P1}; {Examples} examples ({ExamplesSplit} split, {ExamplesDropped} dropped), {RecordsRejected} records rejected");

    internal void AddRecord(bool truncated)
    {
        Records++;
        if (truncated)
        {
            ExamplesTruncated++;
        }
    }

    internal void AddRejectedRecord() => RecordsRejected++;

    internal void AddExample(int length)
    {
        Examples++;
        ExampleTokens += length;
    }

    internal void AddSplit() => ExamplesSplit++;

    internal void AddDropped(int tokens, bool example)
    {
        if (example)
        {
            ExamplesDropped++;
        }

        TokensDropped += tokens;
    }

    internal void AddSequence(int tokens, int pad, int trained)
    {
        Sequences++;
        Tokens += tokens;
        PadTokens += pad;
        TrainedTokens += trained;
    }

    internal void Restore(long records, long recordsRejected, long examplesTruncated, long examples, long exampleTokens, long examplesSplit, long examplesDropped, long tokensDropped, long sequences, long tokens, long padTokens, long trainedTokens)
    {
        Records = records;
        RecordsRejected = recordsRejected;
        ExamplesTruncated = examplesTruncated;
        Examples = examples;
        ExampleTokens = exampleTokens;
        ExamplesSplit = examplesSplit;
        ExamplesDropped = examplesDropped;
        TokensDropped = tokensDropped;
        Sequences = sequences;
        Tokens = tokens;
        PadTokens = padTokens;
        TrainedTokens = trainedTokens;
    }
}
