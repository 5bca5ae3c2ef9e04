using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// The engine's iteration-level scheduler, on its own thread. Each step: drop cancelled sequences; repack groups whose
/// rows changed; decode one token for every running sequence (one run per adapter group, one per beam request);
/// then, within the step's token budget, admit waiting requests up to the cap on running sequences and prefill their
/// prompts: new prompts that fit in one chunk together, one run per adapter group (left-padded to the longest, as
/// Hugging Face batches generation), longer ones and beam requests alone in chunks. A sequence whose prefill ends
/// joins its group's batch at the next step.
/// </summary>
internal sealed class GenerationScheduler : IDisposable
{
    private static readonly object BaseGroupKey = new();

    private readonly DecoderModel _model;
    private readonly GenerationEngineOptions _options;
    private readonly GenerationMetrics _metrics;
    private readonly GenerationTracing _tracing;
    private readonly TimeProvider _time;
    private readonly RunOptions _baseRunOptions = new();
    private readonly ConcurrentQueue<SequenceState> _incoming = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _thread;
    private readonly SamplerScratch _scratch;
    private readonly List<SequenceState> _waiting = [];
    private readonly List<SequenceState> _prefilling = [];
    private readonly List<SequenceState> _beams = [];
    private readonly Dictionary<object, AdapterGroup> _groups = [];
    private readonly Stack<KvBatch> _spare = new();
    private readonly List<(KvBatch, int, SequenceState)> _sources = [];
    private readonly List<SequenceState> _together = [];
    private readonly LoraStack? _stack;
    private readonly Func<HashSet<ResidentAdapter>> _adaptersInUse;
    private volatile bool _stopping;
    private bool _padPromptsTogether = true;
    private int _running;
    private int _waitingCount;
    private long _cacheAllocated;
    private long _cacheUsed;

    public GenerationScheduler(DecoderModel model, GenerationEngineOptions options, GenerationMetrics metrics, GenerationTracing tracing, TimeProvider time)
    {
        _model = model;
        _options = options;
        _metrics = metrics;
        _tracing = tracing;
        _time = time;
        _scratch = new SamplerScratch(model.VocabSize);
        _stack = model.PerRowAdapters ? new LoraStack(model, options.MaxResidentAdapters) : null;
        _adaptersInUse = AdaptersInUse;
        _thread = new Thread(Loop) { IsBackground = true, Name = "Aigc generation " + model.Name };
        _thread.Start();
    }

    public int Running => Volatile.Read(ref _running);

    /// <summary>Gets the most sequences that ran at once so far (for tests and diagnostics).</summary>
    public int PeakRunning { get; private set; }

    /// <summary>Gets how many prompts were prefilled in a run with other prompts so far (for tests and diagnostics).</summary>
    public int PrefilledTogether { get; private set; }

    public int Waiting => Volatile.Read(ref _waitingCount);

    public long CacheAllocatedBytes => Volatile.Read(ref _cacheAllocated) * sizeof(float);

    public double CacheUsage
    {
        get
        {
            var allocated = Volatile.Read(ref _cacheAllocated);
            return allocated == 0 ? 0 : (double)Volatile.Read(ref _cacheUsed) / allocated;
        }
    }

    public void Enqueue(SequenceState sequence)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        Interlocked.Increment(ref _waitingCount);
        _incoming.Enqueue(sequence);
        _signal.Release();
    }

    /// <summary>Wakes the loop so it drops a cancelled sequence now.</summary>
    public void Wake()
    {
        if (_stopping)
        {
            return; // the loop has ended (or is ending) and dropped every sequence
        }

        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the release: nothing left to wake.
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _signal.Release();
        _thread.Join();
        _signal.Dispose();
        _baseRunOptions.Dispose();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            try
            {
                if (!Step())
                {
                    _signal.Wait();
                }
            }
#pragma warning disable CA1031 // the loop must survive any one step's failure: the affected sequences get the error
            catch (Exception e)
#pragma warning restore CA1031
            {
                FailAll(e);
            }
        }

        FailAll(new ObjectDisposedException(nameof(GenerationEngine), "The generation engine was disposed."));
    }

    /// <summary>Gets or sets a hook run at the start of every step, on the scheduler thread (tests hold or fail steps with it).</summary>
    public Action? BeforeStep { get; set; }

    /// <summary>Runs one iteration; returns false when there was nothing to do.</summary>
    private bool Step()
    {
        BeforeStep?.Invoke();
        while (_incoming.TryDequeue(out var sequence))
        {
            _waiting.Add(sequence);
        }

        DropCancelled();
        foreach (var group in _groups.Values)
        {
            if (group.Dirty)
            {
                Repack(group);
            }
        }

        var budget = _options.MaxTokensPerStep;
        var worked = false;
        foreach (var group in _groups.Values)
        {
            if (group.Batch.Rows.Count > 0)
            {
                budget -= group.Batch.Rows.Count;
                Decode(group);
                worked = true;
            }
        }

        for (var i = 0; i < _beams.Count; i++)
        {
            budget -= _beams[i].Width;
            BeamStep(_beams[i]);
            worked = true;
        }

        _beams.RemoveAll(static s => s.Finished);
        Admit();
        while (budget > 0 && PrefillTogether(budget) is var used and > 0)
        {
            budget -= used;
            worked = true;
        }

        for (var i = 0; i < _prefilling.Count && budget > 0; i++)
        {
            if (_prefilling[i].Finished || _prefilling[i].Prefilled >= _prefilling[i].PromptLength)
            {
                continue; // prefilled together above
            }

            budget -= Prefill(_prefilling[i], budget);
            worked = true;
        }

        _prefilling.RemoveAll(static s => s.Finished || s.Prefilled >= s.PromptLength);
        Publish();
        return worked;
    }

    private void DropCancelled()
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            if (_waiting[i].IsCancelled)
            {
                Complete(_waiting[i], Cancelled(_waiting[i]));
                _waiting.RemoveAt(i);
            }
        }

        foreach (var sequence in _prefilling)
        {
            if (sequence.IsCancelled)
            {
                Complete(sequence, Cancelled(sequence));
            }
        }

        foreach (var sequence in _beams)
        {
            if (sequence.IsCancelled)
            {
                Complete(sequence, Cancelled(sequence));
            }
        }

        _beams.RemoveAll(static s => s.Finished);
        _prefilling.RemoveAll(static s => s.Finished);
        foreach (var group in _groups.Values)
        {
            foreach (var sequence in group.Batch.Rows)
            {
                if (sequence.IsCancelled && !sequence.Finished)
                {
                    Complete(sequence, Cancelled(sequence));
                    group.Dirty = true;
                }
            }

            foreach (var sequence in group.Joining)
            {
                if (sequence.IsCancelled && !sequence.Finished)
                {
                    Complete(sequence, Cancelled(sequence));
                }
            }
        }
    }

    private void Repack(AdapterGroup group)
    {
        _sources.Clear();
        var rows = group.Batch.Rows;
        for (var r = 0; r < rows.Count; r++)
        {
            if (!rows[r].Finished)
            {
                _sources.Add((group.Batch, r, rows[r]));
            }
        }

        foreach (var sequence in group.Joining)
        {
            if (!sequence.Finished)
            {
                _sources.Add((sequence.Prefill!, sequence.PrefillRow, sequence));
            }
        }

        if (_sources.Count == 0)
        {
            group.Batch.Clear();
        }
        else
        {
            group.Batch.Repack(_sources);
        }

        foreach (var sequence in group.Joining)
        {
            ReturnPrefillBatch(sequence);
        }

        group.Joining.Clear();
        group.Dirty = false;
    }

    private void Decode(AdapterGroup group)
    {
        var batch = group.Batch;
        var rows = batch.Rows;
        batch.PrepareInputs(1);
        for (var r = 0; r < rows.Count; r++)
        {
            batch.Ids[r] = rows[r].Tokens[^1];
            batch.Positions[r] = rows[r].Tokens.Count - 1;
            PlaceAdapter(batch, r, rows[r]);
        }

        ReadOnlySpan<float> logits;
        try
        {
            logits = batch.Run(group.RunOptions, 1, FedStack);
        }
        catch (OnnxRuntimeException e)
        {
            foreach (var sequence in rows)
            {
                Complete(sequence, e);
            }

            group.Dirty = true;
            return;
        }

        var vocab = _model.VocabSize;
        for (var r = 0; r < rows.Count; r++)
        {
            var sequence = rows[r];
            Emit(sequence, sequence.Sampler.Next(logits.Slice(r * vocab, vocab), sequence.Tokens, _scratch));
            if (sequence.Finished)
            {
                group.Dirty = true;
            }
        }
    }

    private void BeamStep(SequenceState sequence)
    {
        var beam = sequence.Beam!;
        var batch = sequence.Prefill!;
        var rows = batch.Rows.Count;
        batch.PrepareInputs(1);
        for (var r = 0; r < rows; r++)
        {
            batch.Ids[r] = beam.Beams[r][^1];
            batch.Positions[r] = sequence.PromptLength + beam.Generated - 1;
            PlaceAdapter(batch, r, sequence);
        }

        try
        {
            var logits = batch.Run(RunOptionsOf(sequence), 1, FedStack);
            if (beam.Step(logits, sequence, _scratch, rows))
            {
                FinishBeam(sequence);
            }
            else
            {
                GatherBeams(sequence);
            }
        }
        catch (OnnxRuntimeException e)
        {
            Complete(sequence, e);
        }
    }

    private void Admit()
    {
        var running = CountRunning();
        while (_waiting.Count > 0 && running + _waiting[0].Width <= _options.MaxRunningSequences)
        {
            var sequence = _waiting[0];
            _waiting.RemoveAt(0);
            Interlocked.Decrement(ref _waitingCount);
            _tracing.Admitted(sequence);
            _prefilling.Add(sequence);
            running += sequence.Width;
        }
    }

    /// <summary>
    /// Prefills, in one run, the whole prompts of sequences that have not started, fit in one chunk and share the
    /// first such sequence's run options (its adapter, for one-adapter-per-run exports), as many as the budget holds
    /// (rows × the longest prompt, padding included). Returns the tokens it used: 0 when fewer than two were found
    /// (a lone prompt takes the chunked path, which needs no padding).
    /// </summary>
    private int PrefillTogether(int budget)
    {
        _together.Clear();
        if (!_padPromptsTogether)
        {
            return 0;
        }

        RunOptions? runOptions = null;
        var width = 0;
        foreach (var sequence in _prefilling)
        {
            if (sequence.Finished || sequence.Prefilled > 0 || sequence.Beam is not null || sequence.PromptLength > _options.PrefillChunkSize)
            {
                continue;
            }

            var options = RunOptionsOf(sequence);
            runOptions ??= options;
            var longest = Math.Max(width, sequence.PromptLength);
            if (!ReferenceEquals(options, runOptions) || longest * (_together.Count + 1) > budget)
            {
                continue;
            }

            width = longest;
            _together.Add(sequence);
        }

        if (_together.Count < 2)
        {
            return 0;
        }

        PrefilledTogether += _together.Count;
        var batch = RentBatch();
        batch.StartPrefill(_together, width);
        batch.Holders = _together.Count;
        for (var r = 0; r < _together.Count; r++)
        {
            _together[r].Prefill = batch;
            _together[r].PrefillRow = r;
            PlaceAdapter(batch, r, _together[r]);
        }

        ReadOnlySpan<float> logits;
        try
        {
            logits = batch.Run(runOptions!, width, FedStack, lastOnly: true);
        }
        catch (OnnxRuntimeException e)
        {
            foreach (var sequence in _together)
            {
                Complete(sequence, e);
            }

            return width * _together.Count;
        }

        // Each row's last position ends its block of logits ([rows, 1, vocab] with logits_to_keep, else [rows, width, vocab]).
        var vocab = _model.VocabSize;
        var perRow = logits.Length / _together.Count;
        for (var r = 0; r < _together.Count; r++)
        {
            if (float.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum(logits.Slice(((r + 1) * perRow) - vocab, vocab))))
            {
                // A decoder that masks with −∞ turns the padding rows (which see no key) into NaN, and the next layer
                // spreads it (0 × NaN): prefill these prompts one at a time, and never pad prompts together again here.
                _padPromptsTogether = false;
                PrefilledTogether -= _together.Count;
                foreach (var sequence in _together)
                {
                    sequence.Prefill = null;
                    sequence.PrefillRow = 0;
                }

                Recycle(batch);
                return width * _together.Count;
            }
        }

        for (var r = 0; r < _together.Count; r++)
        {
            var sequence = _together[r];
            sequence.Prefilled = sequence.PromptLength;
            GenerationTracing.PrefillCompleted(sequence);
            Emit(sequence, sequence.Sampler.Next(logits.Slice(((r + 1) * perRow) - vocab, vocab), sequence.Tokens, _scratch));
            if (!sequence.Finished)
            {
                var group = GroupOf(sequence);
                group.Joining.Add(sequence);
                group.Dirty = true;
            }
        }

        return width * _together.Count;
    }

    /// <summary>Prefills the next chunk of a prompt; returns the tokens it used.</summary>
    private int Prefill(SequenceState sequence, int budget)
    {
        if (sequence.Prefill is null)
        {
            var single = RentBatch();
            single.StartSingle(sequence);
            single.Holders = 1;
            sequence.Prefill = single;
            sequence.PrefillRow = 0;
        }

        var batch = sequence.Prefill;
        var chunk = Math.Min(Math.Min(sequence.PromptLength - sequence.Prefilled, _options.PrefillChunkSize), budget);
        batch.PrepareInputs(chunk);
        for (var t = 0; t < chunk; t++)
        {
            batch.Ids[t] = sequence.Tokens[sequence.Prefilled + t];
            batch.Positions[t] = sequence.Prefilled + t;
        }

        PlaceAdapter(batch, 0, sequence);
        ReadOnlySpan<float> logits;
        try
        {
            logits = batch.Run(RunOptionsOf(sequence), chunk, FedStack, lastOnly: true);
        }
        catch (OnnxRuntimeException e)
        {
            Complete(sequence, e);
            return chunk;
        }

        sequence.Prefilled += chunk;
        if (sequence.Prefilled < sequence.PromptLength)
        {
            return chunk;
        }

        GenerationTracing.PrefillCompleted(sequence);
        var vocab = _model.VocabSize;
        var last = logits[^vocab..]; // one row: its last position's logits end the buffer
        if (sequence.Beam is { } beam)
        {
            FirstToken(sequence);
            if (beam.Start(last, sequence, _scratch))
            {
                FinishBeam(sequence);
            }
            else
            {
                GatherBeams(sequence);
                _beams.Add(sequence);
            }

            return chunk;
        }

        Emit(sequence, sequence.Sampler.Next(last, sequence.Tokens, _scratch));
        if (!sequence.Finished)
        {
            var group = GroupOf(sequence);
            group.Joining.Add(sequence);
            group.Dirty = true;
        }

        return chunk;
    }

    private void GatherBeams(SequenceState sequence)
    {
        var beam = sequence.Beam!;
        var batch = sequence.Prefill!;
        var identity = batch.Rows.Count == beam.Beams.Count;
        for (var r = 0; identity && r < beam.Beams.Count; r++)
        {
            identity = beam.Parents[r] == r;
        }

        if (identity)
        {
            return;
        }

        _sources.Clear();
        for (var r = 0; r < beam.Beams.Count; r++)
        {
            _sources.Add((batch, beam.Parents[r], sequence));
        }

        batch.Repack(_sources);
    }

    private void FinishBeam(SequenceState sequence)
    {
        var (tokens, stopped) = sequence.Beam!.Result;
        for (var i = 0; i < tokens.Count; i++)
        {
            var last = i == tokens.Count - 1;
            sequence.Output.Writer.TryWrite(new GeneratedToken(tokens[i], float.NaN, null, last ? (stopped ? GenerationFinishReason.Stop : GenerationFinishReason.Length) : null));
        }

        sequence.Tokens.AddRange(tokens);
        sequence.FinishReason = stopped ? GenerationFinishReason.Stop : GenerationFinishReason.Length;
        Complete(sequence, null);
    }

    private void Emit(SequenceState sequence, GeneratedToken token)
    {
        var id = token.TokenId;
        sequence.Tokens.Add(id);
        sequence.Sampler.Observe(id);
        if (sequence.Generated == 1)
        {
            FirstToken(sequence);
        }

        GenerationFinishReason? finish = sequence.StopTokens.Contains(id) ? GenerationFinishReason.Stop
            : sequence.Generated >= sequence.MaxNewTokens ? GenerationFinishReason.Length
            : null;
        sequence.Output.Writer.TryWrite(token with { FinishReason = finish });
        if (finish is not null)
        {
            sequence.FinishReason = finish;
            Complete(sequence, null);
        }
    }

    private void Complete(SequenceState sequence, Exception? error)
    {
        if (sequence.Finished)
        {
            return;
        }

        sequence.Finished = true;
        var errorType = error switch
        {
            null => null,
            OperationCanceledException => "cancelled",
            _ => error.GetType().FullName,
        };
        if (sequence.IsCancelled && error is OperationCanceledException && !sequence.CancelledByToken)
        {
            errorType = null; // the reader stopped early (for example at a stop sequence): a normal end
        }

        // The span ends before the output does, so that it has ended when the caller's enumeration has.
        _tracing.End(sequence, errorType, error);
        sequence.Output.Writer.TryComplete(error);
        sequence.Adapter?.Release();
        if (sequence.Prefill is not null && (sequence.Beam is not null || _prefilling.Contains(sequence)))
        {
            ReturnPrefillBatch(sequence);
        }

        _metrics.RequestEnded(sequence, _time.GetTimestamp(), errorType);
    }

    private void FirstToken(SequenceState sequence)
    {
        sequence.FirstTokenAt = _time.GetTimestamp();
        _metrics.FirstToken(sequence, sequence.FirstTokenAt);
        _tracing.FirstToken(sequence);
    }

    private void ReturnPrefillBatch(SequenceState sequence)
    {
        if (sequence.Prefill is { } batch)
        {
            sequence.Prefill = null;
            if (--batch.Holders > 0)
            {
                return; // other rows of a prompt batch still join from it
            }

            Recycle(batch);
        }
    }

    /// <summary>A cleared prefill batch to reuse, or a new one.</summary>
    private KvBatch RentBatch() => _spare.Count > 0 ? _spare.Pop() : new KvBatch(_model);

    /// <summary>Clears a prefill batch and keeps it for reuse (up to one per running place).</summary>
    private void Recycle(KvBatch batch)
    {
        batch.Clear();
        if (_spare.Count < _options.MaxRunningSequences)
        {
            _spare.Push(batch);
        }
    }

    private AdapterGroup GroupOf(SequenceState sequence)
    {
        // A per-row adapter export runs every sequence in one group, each row with its adapter's slot.
        object key = _stack is null ? sequence.Adapter?.Adapter ?? BaseGroupKey : BaseGroupKey;
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new AdapterGroup(new KvBatch(_model), RunOptionsOf(sequence));
            _groups[key] = group;
        }

        return group;
    }

    private RunOptions RunOptionsOf(SequenceState sequence) => _stack is null ? sequence.Adapter?.RunOptions ?? _baseRunOptions : _baseRunOptions;

    /// <summary>Gets the stack to feed with a run: none before any adapter was placed (the graph's defaults are the base model).</summary>
    private LoraStack? FedStack => _stack is { Rank: > 0 } ? _stack : null;

    /// <summary>Writes the row's adapter slot (per-row adapter exports), placing the adapter into the stack when it is new.</summary>
    private void PlaceAdapter(KvBatch batch, int row, SequenceState sequence)
    {
        if (_stack is not null)
        {
            batch.AdapterIds[row] = _stack.SlotOf(sequence.Adapter?.Adapter, _adaptersInUse);
        }
    }

    /// <summary>The adapters of every sequence the engine runs (the stack keeps their slots).</summary>
    private HashSet<ResidentAdapter> AdaptersInUse()
    {
        var used = new HashSet<ResidentAdapter>();
        void Add(SequenceState sequence)
        {
            if (!sequence.Finished && sequence.Adapter?.Adapter is { } adapter)
            {
                used.Add(adapter);
            }
        }

        foreach (var group in _groups.Values)
        {
            group.Batch.Rows.ForEach(Add);
            group.Joining.ForEach(Add);
        }

        _prefilling.ForEach(Add);
        _beams.ForEach(Add);
        return used;
    }

    private int CountRunning()
    {
        var running = 0;
        foreach (var group in _groups.Values)
        {
            running += group.Batch.Rows.Count + group.Joining.Count;
        }

        foreach (var sequence in _prefilling)
        {
            running += sequence.Width;
        }

        foreach (var sequence in _beams)
        {
            running += sequence.Width;
        }

        return running;
    }

    private void Publish()
    {
        // Groups of adapters no sequence uses any more are dropped with their buffers.
        List<object>? idle = null;
        long allocated = 0;
        long used = 0;
        foreach (var (key, group) in _groups)
        {
            if (group.Batch.Rows.Count == 0 && group.Joining.Count == 0 && key != BaseGroupKey)
            {
                (idle ??= []).Add(key);
                continue;
            }

            allocated += group.Batch.AllocatedFloats;
            used += group.Batch.UsedFloats;
        }

        foreach (var key in idle ?? [])
        {
            _groups.Remove(key);
        }

        foreach (var sequence in _prefilling)
        {
            allocated += sequence.Prefill?.AllocatedFloats ?? 0;
            used += sequence.Prefill?.UsedFloats ?? 0;
        }

        foreach (var sequence in _beams)
        {
            allocated += sequence.Prefill?.AllocatedFloats ?? 0;
            used += sequence.Prefill?.UsedFloats ?? 0;
        }

        Volatile.Write(ref _cacheAllocated, allocated);
        Volatile.Write(ref _cacheUsed, used);
        var running = CountRunning();
        Volatile.Write(ref _running, running);
        PeakRunning = Math.Max(PeakRunning, running);
    }

    private static OperationCanceledException Cancelled(SequenceState sequence) =>
        new(sequence.CancelledByToken ? "The generation request was cancelled." : "The reader stopped reading the generated tokens.");

    private void FailAll(Exception error)
    {
        while (_incoming.TryDequeue(out var sequence))
        {
            _waiting.Add(sequence);
        }

        foreach (var sequence in _waiting)
        {
            Complete(sequence, error);
        }

        foreach (var sequence in _prefilling.Concat(_beams).Concat(_groups.Values.SelectMany(g => g.Batch.Rows.Concat(g.Joining))).ToList())
        {
            Complete(sequence, error);
        }

        _waiting.Clear();
        _prefilling.Clear();
        _beams.Clear();
        _groups.Clear();
        Volatile.Write(ref _waitingCount, 0);
        Volatile.Write(ref _running, 0);
    }
}
