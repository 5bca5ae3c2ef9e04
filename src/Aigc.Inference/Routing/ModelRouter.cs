using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Inference;

/// <summary>
/// Serves one registered model through its aliases: model name → alias → loaded version. When an alias moves (the
/// registry's watch: polling, plus PostgreSQL <c>LISTEN/NOTIFY</c>), the router fetches and verifies the new
/// version's files, loads and warms it up, switches to it atomically, lets requests on the old version finish (each
/// holds a <see cref="ModelLease{TModel}"/>), then unloads the old one. A version that fails to load leaves the old
/// one serving; the failure is logged, raised through <see cref="Changed"/>, counted on the
/// <c>aigc.inference.router.load_failures</c> metric and kept in <see cref="GetStatus"/>, and the version is tried
/// again only after a growing delay (or when its alias is moved to it again). Rollback is an alias move.
/// </summary>
/// <remarks>
/// <para><b>Canary.</b> With several <see cref="ModelRouterOptions.Routes"/>, each request picks a route by weight;
/// requests with the same routing key always pick the same route (a stable hash of the key), so a user sees one
/// version. A route with nothing loaded sends its requests to the primary (first) route.</para>
/// <para><b>Shadow.</b> <see cref="ModelRouterOptions.Shadow"/> receives a copy of requests made through
/// <see cref="RunAsync"/> after the answer is ready, off the hot path; its answers are discarded and its latency and
/// errors recorded (<c>aigc.inference.router.shadow.*</c>). It never changes or delays a response.</para>
/// <para>What is loaded comes from an <see cref="IModelVersionLoader{TModel}"/>, so the same router serves an ONNX
/// <see cref="BatchedModel"/>, a <see cref="TextGenerator"/> or anything else.</para>
/// </remarks>
/// <typeparam name="TModel">What is loaded.</typeparam>
public sealed partial class ModelRouter<TModel> : IAsyncDisposable, IDisposable
    where TModel : class
{
    private readonly IModelRegistry _registry;
    private readonly IModelVersionLoader<TModel> _loader;
    private readonly ModelRouterOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RouterMetrics _metrics;
    private readonly RouteState[] _routes;
    private readonly RouteState? _shadow;
    private readonly double[] _cumulativeWeights;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LoadedModelVersion<TModel>> _loaded = [];
    private readonly AliasChangeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<LoadedModelVersion<TModel>> _onReleased;
    private readonly Lazy<Task> _startup;
    private Task? _watchLoop;
    private Task? _reconcileLoop;
    private int _shadowRunning;
    private int _pendingUnloads;
    private long _loads;
    private long _unloads;
    private long _failures;
    private int _disposed;

    /// <summary>Initializes a router; it starts (resolves its aliases and loads their versions) on <see cref="StartAsync"/> or the first request.</summary>
    /// <param name="registry">The registry the model's versions and aliases live in.</param>
    /// <param name="modelName">The registered model's name.</param>
    /// <param name="loader">Loads and unloads versions.</param>
    /// <param name="options">Routes, shadow and retry settings; <see langword="null"/> serves <c>@champion</c>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for a meter of its own.</param>
    /// <param name="timeProvider">The clock for retry delays; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="loader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is not a valid model name, or the options are not valid.</exception>
    public ModelRouter(IModelRegistry registry, string modelName, IModelVersionLoader<TModel> loader, ModelRouterOptions? options = null, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(loader);
        ModelUri.ThrowIfInvalidName(modelName, nameof(modelName));
        options ??= new ModelRouterOptions();
        options.ThrowIfInvalid(nameof(options));
        _options = options.Clone();
        _registry = registry;
        _loader = loader;
        ModelName = modelName;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new RouterMetrics(meterFactory, modelName);
        _onReleased = OnReleased;

        var routes = _options.Routes.Count == 0 ? [new ModelRoute()] : _options.Routes;
        _routes = new RouteState[routes.Count];
        _cumulativeWeights = new double[routes.Count];
        var total = routes.Sum(r => r.Weight);
        var sum = 0.0;
        for (var i = 0; i < routes.Count; i++)
        {
            _routes[i] = new RouteState(ModelTarget.Parse(routes[i].Target, modelName), routes[i].Weight, isShadow: false);
            sum += routes[i].Weight;
            _cumulativeWeights[i] = sum / total;
        }

        _cumulativeWeights[^1] = 1.0;
        if (_options.Shadow is { } shadow)
        {
            _shadow = new RouteState(ModelTarget.Parse(shadow, modelName), 0, isShadow: true);
        }

        _startup = new Lazy<Task>(() => Task.Run(StartCoreAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Raised when a route switches version, a load fails, an old version is unloaded, an alias is removed or the watch
    /// fails. Handlers run on the router's background threads, possibly at the same time: keep them short and thread-safe.
    /// </summary>
    public event EventHandler<ModelRouterEvent>? Changed;

    /// <summary>Gets the registered model's name.</summary>
    public string ModelName { get; }

    /// <summary>
    /// Resolves the routes' aliases, loads their versions and starts following alias changes; completes when every
    /// route has loaded its version or failed trying. Later calls return the same task.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the router goes on starting).</param>
    /// <returns>A task that completes when the router has started.</returns>
    /// <exception cref="ModelLoadException">No route could load a version; the message says why for each.</exception>
    /// <exception cref="ObjectDisposedException">The router has been disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _startup.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!_routes.Any(r => r.Current is not null))
        {
            throw NothingLoaded();
        }
    }

    /// <summary>
    /// Leases the version that serves a request: the route is picked by weight (by a stable hash of
    /// <paramref name="routingKey"/> when given, so the same key always gets the same route). Dispose the lease when
    /// the request is done. Starts the router when it has not started.
    /// </summary>
    /// <param name="routingKey">A key that keeps requests on one route (a user or session id), or <see langword="null"/> to pick at random by weight.</param>
    /// <param name="cancellationToken">Stops waiting for the router to start.</param>
    /// <returns>The lease.</returns>
    /// <exception cref="ModelLoadException">No version is loaded: none could be loaded, or the alias does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The router has been disposed.</exception>
    public ValueTask<ModelLease<TModel>> AcquireAsync(string? routingKey = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return TryAcquire(routingKey, out var lease)
            ? ValueTask.FromResult(lease)
            : AcquireSlowAsync(routingKey, cancellationToken);
    }

    /// <summary>Leases the version that serves a request if one is loaded, without waiting.</summary>
    /// <param name="routingKey">A key that keeps requests on one route, or <see langword="null"/>.</param>
    /// <param name="lease">The lease, when a version is loaded.</param>
    /// <returns><see langword="true"/> when a version is loaded.</returns>
    public bool TryAcquire(string? routingKey, [NotNullWhen(true)] out ModelLease<TModel>? lease)
    {
        var chosen = PickRoute(routingKey);
        lease = TryLease(_routes[chosen]);
        for (var i = 0; lease is null && i < _routes.Length; i++)
        {
            if (i != chosen)
            {
                lease = TryLease(_routes[i]);
            }
        }

        if (lease is null)
        {
            return false;
        }

        _metrics.Routed(lease.VersionTag, lease.Route);
        return true;
    }

    /// <summary>
    /// Runs one request on the routed version and returns the answer with the version that produced it; when a shadow
    /// is configured, the same request then runs on the shadow version in the background (its answer is discarded).
    /// </summary>
    /// <typeparam name="TRequest">The request's type; the shadow receives the same instance, so it must allow being run twice.</typeparam>
    /// <typeparam name="TResult">The answer's type.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="call">Runs the request on a model.</param>
    /// <param name="routingKey">A key that keeps requests on one route, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request (not its shadow copy).</param>
    /// <returns>The answer and its version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelLoadException">No version is loaded.</exception>
    public async ValueTask<RoutedResult<TResult>> RunAsync<TRequest, TResult>(TRequest request, Func<TModel, TRequest, CancellationToken, ValueTask<TResult>> call, string? routingKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var lease = await AcquireAsync(routingKey, cancellationToken).ConfigureAwait(false);
        TResult result;
        try
        {
            result = await call(lease.Model, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
        }

        Mirror(request, call);
        return new RoutedResult<TResult>(result, lease.Version, lease.Route);
    }

    /// <summary>Returns the routes' state and the loaded versions.</summary>
    /// <returns>A snapshot.</returns>
    public ModelRouterStatus GetStatus()
    {
        lock (_gate)
        {
            var routes = new List<ModelRouteStatus>(_routes.Length + 1);
            foreach (var route in _shadow is null ? _routes : [.. _routes, _shadow])
            {
                routes.Add(new ModelRouteStatus
                {
                    Target = route.Name,
                    Weight = route.Weight,
                    IsShadow = route.IsShadow,
                    ServingVersion = route.Current?.Version,
                    DesiredVersion = route.Desired,
                    FailedVersion = route.FailedVersion,
                    LastError = route.LastError?.Message,
                    ConsecutiveFailures = route.Failures,
                    NextRetryAt = route.NextRetry,
                });
            }

            var loaded = _loaded.Keys.ToList();
            loaded.Sort();
            return new ModelRouterStatus
            {
                ModelName = ModelName,
                Routes = routes,
                LoadedVersions = loaded,
                Loads = Interlocked.Read(ref _loads),
                Unloads = Interlocked.Read(ref _unloads),
                LoadFailures = Interlocked.Read(ref _failures),
            };
        }
    }

    /// <summary>
    /// Stops following alias changes, then unloads every version once the requests holding leases on it have
    /// finished (it waits for them).
    /// </summary>
    /// <returns>A task that completes when every version is unloaded.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _drained.Task.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_startup.IsValueCreated)
        {
            await _startup.Value.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var loop in new[] { _watchLoop, _reconcileLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        var held = new List<LoadedModelVersion<TModel>>();
        lock (_gate)
        {
            foreach (var route in _shadow is null ? _routes : [.. _routes, _shadow])
            {
                if (route.Current is { } current)
                {
                    held.Add(current);
                    route.Current = null;
                }
            }
        }

        foreach (var loaded in held)
        {
            loaded.Release();
        }

        CheckDrained();
        await _drained.Task.ConfigureAwait(false);
        _metrics.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Disposes synchronously, for containers disposed without <c>await</c>: blocks until every version is unloaded,
    /// as <see cref="BatchedModel.Dispose"/> blocks until its requests finish. Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<ModelLease<TModel>> AcquireSlowAsync(string? routingKey, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _startup.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (TryAcquire(routingKey, out var lease))
        {
            return lease;
        }

        throw NothingLoaded();
    }

    private ModelLease<TModel>? TryLease(RouteState route)
    {
        while (route.Current is { } loaded)
        {
            if (loaded.TryAddReference())
            {
                return new ModelLease<TModel>(loaded, route.Name);
            }

            // The route switched and released this version between our read and our reference: read again.
        }

        return null;
    }

    private int PickRoute(string? routingKey)
    {
        if (_routes.Length == 1)
        {
            return 0;
        }

        var point = routingKey is null
            ? Random.Shared.NextDouble()
            : (XxHash3.HashToUInt64(MemoryMarshal.AsBytes(routingKey.AsSpan())) >> 11) * (1.0 / (1UL << 53));
        var weights = _cumulativeWeights;
        for (var i = 0; i < weights.Length; i++)
        {
            if (point < weights[i])
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private void Mirror<TRequest, TResult>(TRequest request, Func<TModel, TRequest, CancellationToken, ValueTask<TResult>> call)
    {
        if (_shadow is null || Volatile.Read(ref _disposed) != 0
            || (_options.ShadowSampleRate < 1 && Random.Shared.NextDouble() >= _options.ShadowSampleRate))
        {
            return;
        }

        if (Interlocked.Increment(ref _shadowRunning) > _options.MaxShadowConcurrency || TryLease(_shadow) is not { } lease)
        {
            Interlocked.Decrement(ref _shadowRunning);
            _metrics.Shadow(_shadow.Current?.Version.Version, InferenceMetricNames.Dropped, TimeSpan.Zero);
            return;
        }

        _ = Task.Run(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                _ = await call(lease.Model, request, _stop.Token).ConfigureAwait(false);
                _metrics.Shadow(lease.Version.Version, InferenceMetricNames.Success, Stopwatch.GetElapsedTime(start));
            }
            catch (Exception exception)
            {
                // The shadow's answer, and so its error, never reaches the caller: it is recorded, not thrown.
                _metrics.Shadow(lease.Version.Version, InferenceMetricNames.Error, Stopwatch.GetElapsedTime(start));
                RouterLog.ShadowFailed(_logger, lease.VersionUri.ToString(), exception);
            }
            finally
            {
                lease.Dispose();
                Interlocked.Decrement(ref _shadowRunning);
            }
        });
    }

    private ModelLoadException NothingLoaded()
    {
        var reasons = new List<string>();
        lock (_gate)
        {
            foreach (var route in _routes)
            {
                reasons.Add(route.LastError is { } error
                    ? $"{route.Name}: version {route.FailedVersion} failed to load ({error.Message})"
                    : route.Desired is null ? $"{route.Name}: the alias does not exist" : $"{route.Name}: version {route.Desired} is not loaded yet");
            }
        }

        return new ModelLoadException($"No version of model '{ModelName}' is loaded, so the request cannot be served. {string.Join("; ", reasons)}. Point the alias at a ready version that loads (see GetStatus()).");
    }

    private void Raise(ModelRouterEvent change)
    {
        try
        {
            Changed?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            RouterLog.HandlerFailed(_logger, ModelName, exception);
        }
    }

    private sealed class RouteState(ModelTarget target, double weight, bool isShadow)
    {
        public ModelTarget Target { get; } = target;

        public string Name { get; } = target.ToString();

        public double Weight { get; } = weight;

        public bool IsShadow { get; } = isShadow;

        /// <summary>The version serving the route; the route holds one reference on it. Read without the lock.</summary>
        public volatile LoadedModelVersion<TModel>? Current;

        public int? Desired { get; set; }

        public int? FailedVersion { get; set; }

        public Exception? LastError { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset? NextRetry { get; set; }
    }
}
