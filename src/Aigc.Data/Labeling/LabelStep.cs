using System.Buffers;

namespace Aigc.Data;

/// <summary>
/// Labels records of one label set (for example <c>style</c>) by majority vote of named programmatic labelers
/// (step id <c>label.apply</c>): the label with the most votes goes to <see cref="DataRecord.Labels"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each labeler votes or abstains. The label with the most votes wins; a tie is broken by
/// <see cref="LabelStepOptions.TieBreaking"/>: by default the tied label voted for by the earliest labeler in the
/// order given wins, so the result never depends on anything but the votes. When every labeler abstains (or a tie
/// abstains) the record gets <see cref="LabelStepOptions.DefaultLabel"/>, or keeps whatever label it had.
/// </para>
/// <para>
/// Labels imported by <see cref="HumanLabelsStep"/> (marked <see cref="LabelMetadataKeys.HumanSource"/> under
/// <see cref="LabelMetadataKeys.Source"/>) are never overwritten, so human labels win whatever the order of the steps.
/// Votes are still recorded. Where each label came from is written to <c>label-source.&lt;set&gt;</c>.
/// </para>
/// <para>
/// Counters: <c>label.&lt;set&gt;.voted</c>, <c>.default</c>, <c>.abstained</c>, <c>.ties</c> and <c>.human-kept</c>.
/// No record is ever dropped.
/// </para>
/// </remarks>
public sealed class LabelStep : RecordStep
{
    private readonly ILabeler[] _labelers;
    private readonly string[] _voteKeys;
    private readonly string _sourceKey;
    private readonly bool _recordVotes;
    private readonly string? _defaultLabel;
    private readonly LabelTieBreaking _tieBreaking;
    private readonly string _votedCounter;
    private readonly string _defaultCounter;
    private readonly string _abstainedCounter;
    private readonly string _tiesCounter;
    private readonly string _humanKeptCounter;

    /// <summary>Initializes a labeling step.</summary>
    /// <param name="labelSet">The label set name, the key in <see cref="DataRecord.Labels"/>.</param>
    /// <param name="labelers">The labelers, in order (the order breaks ties by default).</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labelers"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="labelSet"/> is empty or has white space, there are no labelers, two labelers share a name,
    /// the default label is white space, or the tie-breaking value is undefined.
    /// </exception>
    public LabelStep(string labelSet, IEnumerable<ILabeler> labelers, LabelStepOptions? options = null)
    {
        LabelerNames.Validate(labelSet, nameof(labelSet));
        ArgumentNullException.ThrowIfNull(labelers);
        options ??= new LabelStepOptions();
        if (options.DefaultLabel is not null && string.IsNullOrWhiteSpace(options.DefaultLabel))
        {
            throw new ArgumentException("The default label is empty or white space; use null for no default.", nameof(options));
        }

        if (!Enum.IsDefined(options.TieBreaking))
        {
            throw new ArgumentException($"The tie-breaking value {(int)options.TieBreaking} is not defined.", nameof(options));
        }

        var list = new List<ILabeler>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var labeler in labelers)
        {
            ArgumentNullException.ThrowIfNull(labeler, nameof(labelers));
            if (!names.Add(labeler.Name))
            {
                throw new ArgumentException($"Two labelers are named '{labeler.Name}'; labeler names must be unique within a step.", nameof(labelers));
            }

            list.Add(labeler);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("A label step needs at least one labeler.", nameof(labelers));
        }

        LabelSet = labelSet;
        _labelers = [.. list];
        _voteKeys = new string[_labelers.Length];
        var parameters = new StepParameters()
            .Add("set", labelSet)
            .Add("record-votes", options.RecordVotes)
            .Add("default", options.DefaultLabel)
            .Add("tie-breaking", options.TieBreaking.ToString());
        var labelerNames = new string[_labelers.Length];
        for (var i = 0; i < _labelers.Length; i++)
        {
            var labeler = _labelers[i];
            labelerNames[i] = labeler.Name;
            _voteKeys[i] = LabelMetadataKeys.Vote(labelSet, labeler.Name);
            foreach (var (key, value) in labeler.Parameters)
            {
                parameters.Add("labeler." + labeler.Name + "." + key, value);
            }
        }

        parameters.Add("labelers", labelerNames);
        Parameters = parameters;
        _sourceKey = LabelMetadataKeys.Source(labelSet);
        _recordVotes = options.RecordVotes;
        _defaultLabel = options.DefaultLabel;
        _tieBreaking = options.TieBreaking;
        _votedCounter = "label." + labelSet + ".voted";
        _defaultCounter = "label." + labelSet + ".default";
        _abstainedCounter = "label." + labelSet + ".abstained";
        _tiesCounter = "label." + labelSet + ".ties";
        _humanKeptCounter = "label." + labelSet + ".human-kept";
    }

    /// <summary>Gets the label set this step writes.</summary>
    public string LabelSet { get; }

    /// <summary>Gets the labelers, in order.</summary>
    public IReadOnlyList<ILabeler> Labelers => _labelers;

    /// <inheritdoc />
    /// <value><c>label.apply</c>.</value>
    public override string Id => "label.apply";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Keys: <c>set</c>, <c>labelers</c> (names in order), <c>labeler.&lt;name&gt;.&lt;key&gt;</c> for each labeler's
    /// parameters, <c>default</c>, <c>tie-breaking</c> and <c>record-votes</c>.
    /// </remarks>
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        var count = _labelers.Length;
        var votes = ArrayPool<string?>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var vote = _labelers[i].Label(record);
                votes[i] = vote;
                if (vote is not null && _recordVotes)
                {
                    record.Metadata[_voteKeys[i]] = vote;
                }
            }

            var winner = Majority(votes.AsSpan(0, count), out var tie);
            if (tie)
            {
                context.Increment(_tiesCounter);
                if (_tieBreaking == LabelTieBreaking.Abstain)
                {
                    winner = null;
                }
            }

            var voted = winner is not null;
            if (!voted)
            {
                if (_defaultLabel is null)
                {
                    context.Increment(_abstainedCounter);
                    return StepDecision.Keep;
                }

                winner = _defaultLabel;
            }

            if (record.HasMetadata && record.Metadata.TryGetValue(_sourceKey, out var existing)
                && string.Equals(existing, LabelMetadataKeys.HumanSource, StringComparison.Ordinal))
            {
                context.Increment(_humanKeptCounter);
                return StepDecision.Keep;
            }

            record.Labels[LabelSet] = winner!;
            record.Metadata[_sourceKey] = voted ? LabelMetadataKeys.VoteSource : LabelMetadataKeys.DefaultSource;
            context.Increment(voted ? _votedCounter : _defaultCounter);
            return StepDecision.Keep;
        }
        finally
        {
            ArrayPool<string?>.Shared.Return(votes, clearArray: true);
        }
    }

    /// <summary>Returns the label with the most votes; among tied labels, the one voted first.</summary>
    private static string? Majority(ReadOnlySpan<string?> votes, out bool tie)
    {
        string? best = null;
        var bestCount = 0;
        tie = false;
        for (var i = 0; i < votes.Length; i++)
        {
            var label = votes[i];
            if (label is null || SeenBefore(votes, i))
            {
                continue;
            }

            var n = 1;
            for (var j = i + 1; j < votes.Length; j++)
            {
                if (string.Equals(votes[j], label, StringComparison.Ordinal))
                {
                    n++;
                }
            }

            if (n > bestCount)
            {
                best = label;
                bestCount = n;
                tie = false;
            }
            else if (n == bestCount)
            {
                tie = true;
            }
        }

        return best;
    }

    private static bool SeenBefore(ReadOnlySpan<string?> votes, int index)
    {
        var label = votes[index];
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(votes[j], label, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
