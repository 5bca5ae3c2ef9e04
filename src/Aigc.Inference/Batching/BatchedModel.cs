using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Inference;

/// <summary>
/// A model served through a dynamic batcher with Triton's semantics: requests (one or more rows each) wait in a
/// bounded priority queue; executors, each on its own thread, take up to <see cref="BatchingOptions.MaxBatchSize"/>
/// rows at a time (waiting at most <see cref="BatchingOptions.MaxQueueDelay"/> for a partial batch, sending a
/// preferred size at once), run the model once over pooled, pinned buffers, and hand every caller exactly its rows.
/// </summary>
/// <remarks>
/// <para>Requests are rejected with <see cref="InferenceRejectedException"/> when the queue is full (at once), when
/// they wait past their timeout, and after disposal has begun. Canceling a queued request removes it; when every
/// caller of a running batch cancels, the run is terminated.</para>
/// <para>Disposal stops taking requests, finishes every queued and running one, then releases the buffers (and the
/// session, when this instance owns it).</para>
/// <para>Metrics go to the <c>Aigc.Inference</c> meter, tagged with the model name.</para>
/// </remarks>
public sealed partial class BatchedModel : IAsyncDisposable, IDisposable
{
    private const int MaxPooledRequests = 4096;

    private static readonly Action<object?> OnCanceledCallback = static state => ((PendingRequest)state!).Owner.OnCanceled((PendingRequest)state!);

    private readonly object _gate = new();
    private readonly object _poolGate = new();
    private readonly object _orderGate = new();
    private readonly ModelSession _session;
    private readonly bool _ownsSession;
    private readonly BatchingOptions _options;
    private readonly BatchLayout _layout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InferenceMetrics _metrics;
    private readonly BatchTracing _tracing;
    private readonly RequestQueue _queue;
    private readonly BatchExecutor[] _executors;
    private readonly ITimer _timer;
    private readonly bool[] _preferred;
    private readonly long _delayTicks;
    private readonly PendingRequest[] _requestPool;
    private readonly Stack<Batch> _batchPool = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requestPoolCount;
    private long _scheduledWake = long.MaxValue;
    private long _earliestDeadline = long.MaxValue;
    private int _idleExecutors;
    private int _liveExecutors;
    private bool _closing;
    private bool _disposed;
    private Batch? _orderHead;
    private Batch? _orderTail;
    private bool _releasing;

    /// <summary>Initializes a batcher over a loaded session; the caller keeps ownership of the session.</summary>
    /// <param name="session">The loaded model; every input and output needs a symbolic leading (batch) dimension.</param>
    /// <param name="options">The batching options; copied, so later changes do not apply.</param>
    /// <param name="timeProvider">The clock for the queue delay and timeouts; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for a meter of its own.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message lists every problem.</exception>
    /// <exception cref="ModelLoadException">The model cannot be batched (a fixed batch dimension, a non-tensor input, a pad value for an unknown input, …).</exception>
    public BatchedModel(ModelSession session, BatchingOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILogger? logger = null)
        : this(session, ownsSession: false, options, timeProvider, meterFactory, logger)
    {
    }

    private BatchedModel(ModelSession session, bool ownsSession, BatchingOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options.Clone();
        _session = session;
        _ownsSession = ownsSession;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _layout = BatchLayout.Create(session.Metadata, _options, session.Name);
        _queue = new RequestQueue(_options.PriorityLevels);
        _preferred = new bool[_options.MaxBatchSize + 1];
        foreach (var size in _options.PreferredBatchSizes)
        {
            _preferred[size] = true;
        }

        _delayTicks = (long)(_options.MaxQueueDelay.TotalSeconds * _time.TimestampFrequency);
        _requestPool = new PendingRequest[Math.Min(MaxPooledRequests, _options.MaxQueueSize + (_options.MaxBatchSize * _options.ExecutorCount))];
        _metrics = new InferenceMetrics(meterFactory, session.Name);
        _tracing = new BatchTracing(session.Name, _time);
        _timer = _time.CreateTimer(static state => ((BatchedModel)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _executors = new BatchExecutor[_options.ExecutorCount];
        for (var i = 0; i < _executors.Length; i++)
        {
            _executors[i] = new BatchExecutor(this, _layout, session.OnnxSession, _time, i, session.Name);
        }

        _liveExecutors = _executors.Length;
        foreach (var executor in _executors)
        {
            executor.Start();
        }

        BatcherLog.Started(_logger, session.Name, _options.MaxBatchSize, _options.MaxQueueDelay.TotalMilliseconds, _options.ExecutorCount);
    }

    /// <summary>Gets the model's name (used in logs and metric tags).</summary>
    public string Name => _session.Name;

    /// <summary>Gets the model's inputs and outputs.</summary>
    public ModelMetadata Metadata => _session.Metadata;

    /// <summary>Gets the session the batcher runs.</summary>
    public ModelSession Session => _session;

    /// <summary>Gets a copy of the batching options in use.</summary>
    public BatchingOptions Options => _options.Clone();

    /// <summary>Gets the number of requests waiting in the queue.</summary>
    public int PendingRequests
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Called by an executor with each batch just before the model runs it (tests hold executors with it).</summary>
    internal Action<Batch>? BeforeExecute { get; set; }

    /// <summary>Called by an executor with each batch after it ran, before its requests complete.</summary>
    internal Action<Batch>? AfterExecute { get; set; }

    /// <summary>The number of executors waiting for work (tests wait for it).</summary>
    internal int IdleExecutors
    {
        get
        {
            lock (_gate)
            {
                return _idleExecutors;
            }
        }
    }

    /// <summary>The timestamp the batcher's timer is set for, or <see cref="long.MaxValue"/> when unset (tests wait for it).</summary>
    internal long ScheduledWake
    {
        get
        {
            lock (_gate)
            {
                return _scheduledWake;
            }
        }
    }

    /// <summary>Loads a model file and serves it; the returned instance owns (and disposes) the session.</summary>
    /// <param name="path">The path of the <c>.onnx</c> file.</param>
    /// <param name="sessionOptions">The session options; <see langword="null"/> for the defaults.</param>
    /// <param name="batchingOptions">The batching options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for a meter of its own.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="name">The model name; <see langword="null"/> for the file name without extension.</param>
    /// <returns>The served model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or the options are invalid.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelLoadException">The model cannot be loaded, warmed up or batched.</exception>
    public static BatchedModel Load(string path, ModelSessionOptions? sessionOptions = null, BatchingOptions? batchingOptions = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILogger? logger = null, string? name = null)
    {
        batchingOptions ??= new BatchingOptions();
        Validate(batchingOptions);
        var session = ModelSession.Load(path, sessionOptions, logger, name);
        try
        {
            return new BatchedModel(session, ownsSession: true, batchingOptions, timeProvider, meterFactory, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Serves an already loaded session and takes ownership of it (it is disposed with the batcher).</summary>
    /// <param name="session">The session.</param>
    /// <param name="options">The batching options.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for a meter of its own.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <returns>The served model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="ModelLoadException">The model cannot be batched.</exception>
    public static BatchedModel Own(ModelSession session, BatchingOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILogger? logger = null)
        => new(session, ownsSession: true, options, timeProvider, meterFactory, logger);

    /// <summary>
    /// Queues a request and completes when its batch has run, with exactly the request's rows of every output.
    /// Await the returned task once (or call <c>AsTask()</c>): it is backed by a pooled object.
    /// </summary>
    /// <param name="request">The request; do not change its tensors until the task completes.</param>
    /// <param name="cancellationToken">Removes the request from the queue when canceled; terminates the run when every caller of the running batch cancels.</param>
    /// <returns>The request's outputs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelInputException">The request does not fit the model (thrown before it is queued).</exception>
    /// <exception cref="InferenceRejectedException">The queue is full, the request timed out in the queue, or the model is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException">ONNX Runtime failed to run the batch.</exception>
    public ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var level = request.Priority == 0 ? _options.DefaultPriority : request.Priority;
        if (level < 1 || level > _options.PriorityLevels)
        {
            throw new ModelInputException(null, $"The request's priority {request.Priority} is not between 1 and the model's {_options.PriorityLevels} priority levels (or 0 for the default).");
        }

        var timeout = request.Timeout ?? _options.DefaultTimeout;
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ModelInputException(null, "The request's timeout must be positive, or null for the model's default.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            _metrics.Request(InferenceMetricNames.Canceled, TimeSpan.Zero);
            return ValueTask.FromCanceled<InferenceResult>(cancellationToken);
        }

        if (Volatile.Read(ref _closing))
        {
            _metrics.Request(InferenceMetricNames.Rejected, TimeSpan.Zero);
            return ValueTask.FromException<InferenceResult>(Reject(InferenceRejectionReason.ShuttingDown));
        }

        var pending = Rent();
        try
        {
            pending.Rows = _layout.Validate(request, pending.Tensors, out var sequenceLength);
            pending.SequenceLength = sequenceLength;
        }
        catch (ModelInputException)
        {
            _metrics.Request(InferenceMetricNames.Error, TimeSpan.Zero);
            Array.Clear(pending.Tensors);
            ReturnToPool(pending);
            throw;
        }

        var now = _time.GetTimestamp();
        pending.Activity = _tracing.StartRequest(pending.Rows);
        pending.Level = level - 1;
        pending.EnqueuedAt = now;
        pending.Deadline = timeout is { } limit ? now + (long)(limit.TotalSeconds * _time.TimestampFrequency) : long.MaxValue;
        pending.CancellationToken = cancellationToken;
        var task = pending.AsValueTask();
        if (cancellationToken.CanBeCanceled)
        {
            pending.Registration = cancellationToken.UnsafeRegister(OnCanceledCallback, pending);
        }

        InferenceRejectionReason? rejection = null;
        var canceled = false;
        lock (_gate)
        {
            if (pending.CancelRequested)
            {
                canceled = true;
            }
            else if (_closing)
            {
                rejection = InferenceRejectionReason.ShuttingDown;
            }
            else if (_queue.Count >= _options.MaxQueueSize)
            {
                rejection = InferenceRejectionReason.QueueFull;
            }
            else
            {
                pending.State = PendingRequest.Queued;
                _queue.Enqueue(pending);
                _metrics.Queued(1);
                if (pending.Deadline < _earliestDeadline)
                {
                    _earliestDeadline = pending.Deadline;
                    ScheduleWakeLocked(pending.Deadline, now);
                }

                if (_idleExecutors > 0)
                {
                    Monitor.Pulse(_gate);
                }
            }

            if (pending.State != PendingRequest.Queued)
            {
                pending.State = PendingRequest.Completed;
            }
        }

        if (canceled)
        {
            Finish(pending, null, new OperationCanceledException(cancellationToken), InferenceMetricNames.Canceled);
        }
        else if (rejection is { } reason)
        {
            Finish(pending, null, Reject(reason), InferenceMetricNames.Rejected);
        }

        return task;
    }

    /// <summary>Stops taking requests, finishes every queued and running one, and releases the executors' buffers (and the session, when owned).</summary>
    /// <returns>A task that completes when everything has finished.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!BeginClose())
        {
            await _stopped.Task.ConfigureAwait(false);
            return;
        }

        await _stopped.Task.ConfigureAwait(false);
        Release();
    }

    /// <summary>Stops taking requests, waits (blocking) until every queued and running one has finished, and releases the resources.</summary>
    public void Dispose()
    {
        var first = BeginClose();
        foreach (var executor in _executors)
        {
            if (executor.Thread != Thread.CurrentThread)
            {
                executor.Thread.Join();
            }
        }

        if (first)
        {
            Release();
        }
    }

    internal void ReturnToPool(PendingRequest request)
    {
        lock (_poolGate)
        {
            if (_requestPoolCount < _requestPool.Length)
            {
                _requestPool[_requestPoolCount++] = request;
            }
        }
    }

    private static void Validate(BatchingOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var problems = new List<string>(results.Count);
            foreach (var result in results)
            {
                problems.Add($"{string.Join(", ", result.MemberNames)}: {result.ErrorMessage}");
            }

            throw new ArgumentException("The batching options are invalid: " + string.Join("; ", problems), nameof(options));
        }
    }

    private InferenceRejectedException Reject(InferenceRejectionReason reason) => reason switch
    {
        InferenceRejectionReason.QueueFull => new(Name, reason, $"Model '{Name}' rejected the request: its queue holds {_options.MaxQueueSize} requests (MaxQueueSize). Retry later with backoff, or add capacity."),
        InferenceRejectionReason.Timeout => new(Name, reason, $"Model '{Name}' rejected the request: it waited in the queue longer than its timeout. Retry later, raise the timeout, or add capacity."),
        _ => new(Name, reason, $"Model '{Name}' is shutting down and takes no new requests."),
    };

    private PendingRequest Rent()
    {
        lock (_poolGate)
        {
            if (_requestPoolCount > 0)
            {
                var request = _requestPool[--_requestPoolCount];
                _requestPool[_requestPoolCount] = null!;
                return request;
            }
        }

        return new PendingRequest(this, _layout.Inputs.Length);
    }

    private Batch RentBatchLocked() => _batchPool.TryPop(out var batch) ? batch : new Batch(_options.MaxBatchSize);
}
