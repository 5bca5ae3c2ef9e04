using System.Threading.Channels;

namespace Aigc.Inference;

/// <summary>One request inside the engine: its tokens, sampler, output channel, adapter and where its cache lives.</summary>
internal sealed class SequenceState
{
    private int _cancelled;

    public SequenceState(GenerationRequest request, int maxNewTokens, IReadOnlyCollection<int> stopTokens, AdapterLease? adapter, long enqueuedAt)
    {
        Request = request;
        Sampling = request.Sampling;
        Tokens = new List<int>(request.PromptTokens.Count + Math.Min(maxNewTokens, 1024));
        Tokens.AddRange(request.PromptTokens);
        PromptLength = Tokens.Count;
        MaxNewTokens = maxNewTokens;
        StopTokens = stopTokens;
        Adapter = adapter;
        EnqueuedAt = enqueuedAt;
        Sampler = new TokenSampler(request.Sampling, request.PromptTokens);
        Output = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    public GenerationRequest Request { get; }

    public SamplingOptions Sampling { get; }

    /// <summary>Gets the prompt and the tokens generated so far.</summary>
    public List<int> Tokens { get; }

    public int PromptLength { get; }

    public int Generated => Tokens.Count - PromptLength;

    public int MaxNewTokens { get; }

    public IReadOnlyCollection<int> StopTokens { get; }

    public AdapterLease? Adapter { get; }

    public TokenSampler Sampler { get; }

    public Channel<GeneratedToken> Output { get; }

    /// <summary>Gets or sets the batch the prompt is prefilled in (alone, or with other prompts), until the sequence joins its group.</summary>
    public KvBatch? Prefill { get; set; }

    /// <summary>Gets or sets the sequence's row in <see cref="Prefill"/>.</summary>
    public int PrefillRow { get; set; }

    /// <summary>Gets or sets how many prompt tokens are in the cache.</summary>
    public int Prefilled { get; set; }

    /// <summary>Gets or sets the beam search state, for beam requests.</summary>
    public BeamSearch? Beam { get; set; }

    public bool Finished { get; set; }

    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    public long EnqueuedAt { get; }

    public long FirstTokenAt { get; set; }

    /// <summary>Gets or sets why the sequence finished, once it has.</summary>
    public GenerationFinishReason? FinishReason { get; set; }

    /// <summary>Gets or sets the request's span, or <see langword="null"/> when nobody listens (see <see cref="GenerationTracing"/>).</summary>
    public System.Diagnostics.Activity? Activity { get; set; }

    /// <summary>Gets how many running-sequence places the request takes (its beam width for beam search).</summary>
    public int Width => Sampling.BeamSearch?.BeamWidth ?? 1;

    /// <summary>Gets whether the request's cancellation token cancelled it (rather than its reader stopping early).</summary>
    public bool CancelledByToken => Volatile.Read(ref _cancelled) == 2;

    /// <summary>Marks the sequence cancelled; the engine drops it before its next step. Returns whether this call did.</summary>
    /// <param name="byToken">Whether the request's cancellation token asked for it.</param>
    public bool Cancel(bool byToken) => Interlocked.CompareExchange(ref _cancelled, byToken ? 2 : 1, 0) == 0;
}
