using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// Packs a stream of <see cref="TokenizedExample"/>s into <see cref="PackedSequence"/>s of exactly
/// <see cref="SequenceLength"/> tokens (see <see cref="PackingStrategy"/>), padding with label −100, and keeps
/// position ids and segment ids so a trainer can treat the packed examples as separate documents.
/// </summary>
/// <remarks>Instances are immutable (options are copied) and may run several packs at once.</remarks>
public sealed class SequencePacker
{
    private readonly SequencePackerOptions _options;

    /// <summary>Initializes a packer.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults; they are copied.</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message lists each).</exception>
    public SequencePacker(SequencePackerOptions? options = null)
    {
        options ??= new SequencePackerOptions();
        options.Validate();
        _options = new SequencePackerOptions
        {
            SequenceLength = options.SequenceLength,
            PadTokenId = options.PadTokenId,
            Strategy = options.Strategy,
            OversizedExamples = options.OversizedExamples,
            MaxOpenSequences = options.MaxOpenSequences,
            DropFinalPartialSequences = options.DropFinalPartialSequences,
            ResetPositionIds = options.ResetPositionIds,
            MaskSegmentStarts = options.MaskSegmentStarts,
        };
    }

    /// <summary>Gets the length of every packed sequence.</summary>
    public int SequenceLength => _options.SequenceLength;

    /// <summary>Gets the pad token id.</summary>
    public int PadTokenId => _options.PadTokenId;

    /// <summary>Gets whether position ids restart at each segment.</summary>
    public bool ResetPositionIds => _options.ResetPositionIds;

    /// <summary>Gets whether examples longer than a sequence are dropped rather than split.</summary>
    public bool DropsOversizedExamples => _options.OversizedExamples == OversizedExampleHandling.Drop;

    /// <summary>Gets the settings in canonical form, for fingerprints and sidecar files.</summary>
    public IReadOnlyDictionary<string, string> Parameters => _options.ToParameters();

    /// <summary>Packs examples.</summary>
    /// <param name="examples">The examples.</param>
    /// <param name="statistics">Receives counts and efficiency, or <see langword="null"/>.</param>
    /// <returns>The sequences, produced as the examples are read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    public IEnumerable<PackedSequence> Pack(IEnumerable<TokenizedExample> examples, PackingStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return PackIterator(examples, statistics);
    }

    /// <summary>Packs a stream of examples.</summary>
    /// <param name="examples">The examples.</param>
    /// <param name="statistics">Receives counts and efficiency, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The sequences, produced as the examples are read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<PackedSequence> PackAsync(IAsyncEnumerable<TokenizedExample> examples, PackingStatistics? statistics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return PackAsyncIterator(examples, statistics, cancellationToken);
    }

    internal PackerState CreateState(PackingStatistics? statistics) => new(_options, statistics);

    private IEnumerable<PackedSequence> PackIterator(IEnumerable<TokenizedExample> examples, PackingStatistics? statistics)
    {
        var state = new PackerState(_options, statistics);
        var output = new List<PackedSequence>();
        foreach (var example in examples)
        {
            ArgumentNullException.ThrowIfNull(example, nameof(examples));
            state.Add(example, output);
            foreach (var sequence in output)
            {
                yield return sequence;
            }

            output.Clear();
        }

        state.Flush(output);
        foreach (var sequence in output)
        {
            yield return sequence;
        }
    }

    private async IAsyncEnumerable<PackedSequence> PackAsyncIterator(
        IAsyncEnumerable<TokenizedExample> examples,
        PackingStatistics? statistics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new PackerState(_options, statistics);
        var output = new List<PackedSequence>();
        await foreach (var example in examples.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            ArgumentNullException.ThrowIfNull(example, nameof(examples));
            state.Add(example, output);
            foreach (var sequence in output)
            {
                yield return sequence;
            }

            output.Clear();
        }

        state.Flush(output);
        foreach (var sequence in output)
        {
            yield return sequence;
        }
    }
}
