namespace Aigc.Inference;

/// <summary>
/// Beam search for one request (Hugging Face's algorithm): each step extends every beam by its best tokens, keeps
/// the best <c>width</c> continuations by summed log-probability, and sets aside hypotheses that end in a stop token,
/// scored <c>sum / length^penalty</c>.
/// </summary>
internal sealed class BeamSearch
{
    private readonly BeamSearchOptions _options;
    private readonly int _width;
    private readonly IReadOnlyCollection<int> _stopTokens;
    private readonly int _maxNewTokens;
    private readonly List<(double Score, List<int> Tokens, bool Stopped)> _finished = [];
    private List<int>[] _beams;
    private double[] _scores;

    public BeamSearch(BeamSearchOptions options, IReadOnlyCollection<int> stopTokens, int maxNewTokens)
    {
        _options = options;
        _width = options.BeamWidth;
        _stopTokens = stopTokens;
        _maxNewTokens = maxNewTokens;
        _beams = [];
        _scores = [];
        Parents = new int[_width];
    }

    /// <summary>Gets the live beams' generated tokens, one list per row.</summary>
    public IReadOnlyList<List<int>> Beams => _beams;

    /// <summary>Gets, after a step, the row each new beam continues (the cache rows to gather).</summary>
    public int[] Parents { get; }

    /// <summary>Gets the generated length of the live beams.</summary>
    public int Generated => _beams.Length == 0 ? 0 : _beams[0].Count;

    /// <summary>Gets the result once the search is done.</summary>
    public (List<int> Tokens, bool Stopped) Result { get; private set; }

    /// <summary>Starts from the prompt's last logits (one row). Returns whether the search is already done.</summary>
    public bool Start(ReadOnlySpan<float> logits, SequenceState sequence, SamplerScratch scratch)
    {
        _beams = [[]];
        _scores = [0];
        return Step(logits, sequence, scratch, rows: 1);
    }

    /// <summary>Advances every live beam by one token. Returns whether the search is done.</summary>
    public bool Step(ReadOnlySpan<float> logits, SequenceState sequence, SamplerScratch scratch, int rows)
    {
        var vocab = logits.Length / rows;
        var perBeam = Math.Min(2 * _width, vocab);
        var candidates = new List<(double Score, int Beam, int Token)>(rows * perBeam);
        var history = new List<int>(sequence.PromptLength + Generated + 1);
        for (var b = 0; b < rows; b++)
        {
            var work = scratch.Keys.AsSpan(0, vocab);
            var row = logits.Slice(b * vocab, vocab);
            var logSumExp = LogitMath.LogSumExp(row, work);
            for (var t = 0; t < vocab; t++)
            {
                work[t] = (float)(row[t] - logSumExp);
            }

            history.Clear();
            history.AddRange(sequence.Tokens);
            history.AddRange(_beams[b]);
            ApplyPenalties(work, history, sequence.Sampling);
            var top = scratch.Indices.AsSpan(0, TopTokens.Select(work, perBeam, scratch.Indices));
            foreach (var token in top)
            {
                if (!float.IsNegativeInfinity(work[token]))
                {
                    candidates.Add((_scores[b] + work[token], b, token));
                }
            }
        }

        candidates.Sort(static (x, y) => y.Score.CompareTo(x.Score) is var c && c != 0 ? c : (x.Beam, x.Token).CompareTo((y.Beam, y.Token)));
        var nextBeams = new List<int>[_width];
        var nextScores = new double[_width];
        var kept = 0;
        var generated = Generated + 1;
        for (var rank = 0; rank < candidates.Count && kept < _width; rank++)
        {
            var (score, beam, token) = candidates[rank];
            if (_stopTokens.Contains(token))
            {
                if (rank < _width)
                {
                    AddFinished(score, [.. _beams[beam], token], stopped: true, generated);
                }

                continue;
            }

            Parents[kept] = beam;
            nextBeams[kept] = [.. _beams[beam], token];
            nextScores[kept] = score;
            kept++;
        }

        if (kept == 0)
        {
            Finish();
            return true;
        }

        _beams = nextBeams[..kept];
        _scores = nextScores[..kept];
        if (generated >= _maxNewTokens || IsDone(generated))
        {
            Finish();
            return true;
        }

        return false;
    }

    private static void ApplyPenalties(Span<float> work, List<int> history, SamplingOptions sampling)
    {
        if (sampling.RepetitionPenalty != 1f)
        {
            var seen = new HashSet<int>(history);
            foreach (var token in seen)
            {
                work[token] = work[token] > 0 ? work[token] / sampling.RepetitionPenalty : work[token] * sampling.RepetitionPenalty;
            }
        }

        TokenSampler.BanRepeatedNGrams(work, history, sampling.NoRepeatNGramSize);
    }

    private void AddFinished(double score, List<int> tokens, bool stopped, int generated)
    {
        var normalized = score / Math.Pow(generated, _options.LengthPenalty);
        if (_finished.Count < _width || normalized > _finished[^1].Score)
        {
            _finished.Add((normalized, tokens, stopped));
            _finished.Sort(static (x, y) => y.Score.CompareTo(x.Score));
            if (_finished.Count > _width)
            {
                _finished.RemoveAt(_finished.Count - 1);
            }
        }
    }

    private bool IsDone(int generated)
    {
        if (_finished.Count < _width)
        {
            return false;
        }

        if (_options.EarlyStopping)
        {
            return true;
        }

        // No live beam can still beat the worst finished hypothesis (HF's heuristic for early_stopping=False).
        var best = _scores[0] / Math.Pow(generated, _options.LengthPenalty);
        return _finished[^1].Score >= best;
    }

    private void Finish()
    {
        for (var b = 0; b < _beams.Length; b++)
        {
            AddFinished(_scores[b], _beams[b], stopped: false, Math.Max(1, _beams[b].Count));
        }

        var best = _finished.Count > 0 ? _finished[0] : (0, new List<int>(), false);
        Result = (best.Tokens, best.Stopped);
    }
}
