using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Aigc.Inference;

/// <summary>
/// Continuous-batching text generation over an ONNX decoder in the Hugging Face Optimum convention, with
/// per-request sampling and LoRA adapters. Requests join the running batch after their prefill and leave it as soon
/// as they finish or are cancelled; every step decodes one token for every running sequence.
/// </summary>
/// <remarks>
/// <para>
/// <b>Scheduling.</b> One thread runs the steps. A step first drops cancelled sequences, then decodes every running
/// sequence (one ONNX Runtime run for all of them; with a per-run LoRA export, one run per adapter in use, since such
/// an adapter applies to a whole run; one per beam request),
/// then admits waiting requests while fewer than <see cref="GenerationEngineOptions.MaxRunningSequences"/> run and
/// prefills their prompts, in chunks of at most <see cref="GenerationEngineOptions.PrefillChunkSize"/>, within the
/// step's budget of <see cref="GenerationEngineOptions.MaxTokensPerStep"/> tokens.
/// </para>
/// <para>
/// <b>KV cache.</b> Each group of sequences keeps its cache in two preallocated buffers per layer that take turns:
/// ONNX Runtime reads <c>past</c> from one and writes <c>present</c> (the past plus the new position) straight into the
/// other, which the next step reads. Managed code copies a cache only when rows join, leave or (beam search) are
/// reordered; each row then becomes contiguous and the attention mask hides the gap between its length and the
/// longest row's. The Optimum graph itself concatenates past and new positions, so a step costs time linear in the
/// longest cached length inside ONNX Runtime; nothing outside it grows per step.
/// </para>
/// <para>
/// <b>Adapters.</b> A model exported with per-row adapter slots (<c>adapter_ids</c> and stacked LoRA inputs) serves a
/// batch that mixes adapters in one run: resident adapters are copied once into slots of a stacked buffer (slot 0
/// is the base model) and each row feeds its slot. A model with per-run LoRA inputs groups rows by adapter instead.
/// A prefill asks for its last position's logits only when the model takes <c>logits_to_keep</c>.
/// </para>
/// <para>
/// <b>Determinism.</b> Each request samples from its own seeded generator, one draw per token, so a seed gives the
/// same tokens whatever else runs in the batch (up to floating-point differences between batch shapes, far below
/// the gaps between logits that decide a draw in practice).
/// </para>
/// </remarks>
public sealed class GenerationEngine : IDisposable, IAsyncDisposable
{
    private readonly DecoderModel _model;
    private readonly AdapterCache _adapters;
    private readonly GenerationMetrics _metrics;
    private readonly GenerationTracing _tracing;
    private readonly GenerationScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly int _maxRunning;
    private int _disposed;

    /// <summary>Loads the model and starts the engine's scheduler thread.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter, or <see langword="null"/> for a meter of the engine's own.</param>
    /// <param name="timeProvider">The clock of the metrics, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message lists each one.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="NotSupportedException">The model is not a decoder with a KV cache in the Optimum convention.</exception>
    public GenerationEngine(GenerationEngineOptions options, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        _maxRunning = options.MaxRunningSequences;
        _model = new DecoderModel(options);
        _adapters = new AdapterCache(_model, options.MaxResidentAdapters);
        GenerationScheduler? scheduler = null;
        _metrics = new GenerationMetrics(
            meterFactory,
            _time,
            _model.Name,
            () => scheduler?.Running ?? 0,
            () => scheduler?.Waiting ?? 0,
            () => scheduler?.CacheUsage ?? 0,
            () => scheduler?.CacheAllocatedBytes ?? 0);
        _tracing = new GenerationTracing(_model.Name, _time);
        _scheduler = scheduler = new GenerationScheduler(_model, options, _metrics, _tracing, _time);
    }

    /// <summary>Gets the model's name.</summary>
    public string ModelName => _model.Name;

    /// <summary>Gets the size of the model's vocabulary.</summary>
    public int VocabularySize => _model.VocabSize;

    /// <summary>Gets the context length: prompt and output tokens together.</summary>
    public int ContextLength => _model.ContextLength;

    /// <summary>Gets the end-of-sequence token, or <see langword="null"/> when the model has none in its vocabulary.</summary>
    public int? EndOfSequenceTokenId => _model.EndOfSequenceTokenId;

    /// <summary>Gets whether the model takes LoRA inputs, so it can serve adapters.</summary>
    public bool SupportsAdapters => _model.LoraInputNames.Count > 0;

    /// <summary>Gets the number of sequences decoding or prefilling now.</summary>
    public int RunningSequences => _scheduler.Running;

    /// <summary>Gets the most sequences that ran at once so far.</summary>
    internal int PeakRunningSequences => _scheduler.PeakRunning;

    /// <summary>Gets how many prompts were prefilled in a run with other prompts so far (for tests).</summary>
    internal int PromptsPrefilledTogether => _scheduler.PrefilledTogether;

    /// <summary>Sets a hook run at the start of every scheduler step, on the scheduler thread (for tests).</summary>
    internal Action? BeforeStep
    {
        set => _scheduler.BeforeStep = value;
    }

    /// <summary>Gets the number of requests waiting for a place to run.</summary>
    public int WaitingSequences => _scheduler.Waiting;

    /// <summary>Gets the names of the registered adapters.</summary>
    public IReadOnlyCollection<string> RegisteredAdapters => _adapters.Registered;

    /// <summary>Gets the names of the adapters loaded in memory now.</summary>
    public IReadOnlyCollection<string> ResidentAdapters => _adapters.Resident;

    /// <summary>
    /// Registers (or replaces) a LoRA adapter: an ONNX Runtime <c>.onnx_adapter</c> file whose parameters are the
    /// model's LoRA inputs (B scaled by alpha / r). It loads on first use, or now with <paramref name="preload"/>;
    /// replacing an adapter lets running requests finish with the old one.
    /// </summary>
    /// <param name="name">The adapter's name, which requests give in <see cref="GenerationRequest.Adapter"/>.</param>
    /// <param name="path">The <c>.onnx_adapter</c> file.</param>
    /// <param name="preload">Whether to load it now (and check it against the model) instead of on first use.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is null or empty.</exception>
    /// <exception cref="NotSupportedException">The model has no LoRA inputs.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">With <paramref name="preload"/>: the file is not an adapter, or not one for this model.</exception>
    public void RegisterAdapter(string name, string path, bool preload = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _adapters.Register(name, Path.GetFullPath(path), preload);
    }

    /// <summary>Unregisters an adapter; it unloads once no running request uses it.</summary>
    /// <param name="name">The adapter's name.</param>
    /// <returns><see langword="true"/> when it was registered.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public bool UnregisterAdapter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _adapters.Unregister(name);
    }

    /// <summary>Returns whether an adapter of that name is registered.</summary>
    /// <param name="name">The adapter's name.</param>
    /// <returns><see langword="true"/> when it is registered.</returns>
    public bool HasAdapter(string name) => name is not null && _adapters.IsRegistered(name);

    /// <summary>
    /// Generates tokens for a request. The request enters the engine when enumeration starts; leaving the enumeration
    /// early or cancelling <paramref name="cancellationToken"/> removes it from the batch before the next step.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The generated tokens; the last one carries <see cref="GeneratedToken.FinishReason"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The prompt is empty or holds ids outside the vocabulary, or the sampling options are invalid.</exception>
    /// <exception cref="ContextWindowExceededException">The prompt leaves no room for output in the context window.</exception>
    /// <exception cref="KeyNotFoundException">The adapter is not registered.</exception>
    public IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        return Run(request, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _scheduler.Dispose();
        _adapters.Dispose();
        _metrics.Dispose();
        _model.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Validate(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(request.PromptTokens, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Sampling, nameof(request));
        request.Sampling.Validate();
        var prompt = request.PromptTokens;
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens; give at least one (for example a beginning-of-sequence token).", nameof(request));
        }

        foreach (var token in prompt)
        {
            if ((uint)token >= (uint)_model.VocabSize)
            {
                throw new ArgumentException($"The prompt holds token id {token}, outside the model's vocabulary of {_model.VocabSize}. Use the model's tokenizer.", nameof(request));
            }
        }

        if (prompt.Count >= _model.ContextLength)
        {
            throw new ContextWindowExceededException(prompt.Count, _model.ContextLength);
        }

        if (request.Sampling.BeamSearch is { } beam && beam.BeamWidth > _maxRunning)
        {
            throw new ArgumentException($"Beam width {beam.BeamWidth} exceeds the engine's {_maxRunning} running sequences.", nameof(request));
        }

        if (request.Adapter is { } adapter && !_adapters.IsRegistered(adapter))
        {
            throw new KeyNotFoundException(
                $"No adapter named '{adapter}' is registered with model '{_model.Name}'. Registered: {(_adapters.Registered.Count == 0 ? "none" : string.Join(", ", _adapters.Registered))}.");
        }
    }

    private async IAsyncEnumerable<GeneratedToken> Run(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lease = request.Adapter is { } name ? _adapters.Acquire(name) : null;
        SequenceState? sequence = null;
        try
        {
            var sampling = request.Sampling;
            var stops = new HashSet<int>(sampling.StopTokenIds);
            if (_model.EndOfSequenceTokenId is { } eos)
            {
                stops.Add(eos);
            }

            var maxNew = Math.Min(sampling.MaxTokens, _model.ContextLength - request.PromptTokens.Count);
            sequence = new SequenceState(request, maxNew, stops, lease, _time.GetTimestamp());
            if (sampling.BeamSearch is { } beam)
            {
                sequence.Beam = new BeamSearch(beam, stops, maxNew);
            }

            // Started here, on the caller's thread, so that its parent is the caller's activity; the scheduler thread ends it.
            sequence.Activity = _tracing.Start(request);
            _scheduler.Enqueue(sequence);
        }
        catch (Exception e)
        {
            lease?.Release();
            if (sequence is not null)
            {
                _tracing.End(sequence, e.GetType().FullName, e);
            }

            throw;
        }

        using var registration = cancellationToken.Register(static state =>
        {
            var (scheduler, sequence) = ((GenerationScheduler, SequenceState))state!;
            if (sequence.Cancel(byToken: true))
            {
                scheduler.Wake();
            }
        }, (_scheduler, sequence));
        try
        {
            var reader = sequence.Output.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var token))
                {
                    // Tokens already produced are not handed out after cancellation.
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return token;
                }
            }
        }
        finally
        {
            if (sequence.Cancel(byToken: cancellationToken.IsCancellationRequested))
            {
                _scheduler.Wake();
            }
        }
    }
}
