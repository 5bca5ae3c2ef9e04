using System.Diagnostics;

namespace Aigc.Inference;

/// <content>
/// Following aliases and switching versions: a watch loop records where each alias points (the desired version), a
/// reconcile loop makes each route serve its desired version (load and warm up, switch, release the old one), and
/// versions whose last reference is released are unloaded in the background.
/// </content>
public sealed partial class ModelRouter<TModel>
{
    private IEnumerable<RouteState> AllRoutes => _shadow is null ? _routes : [.. _routes, _shadow];

    private async Task StartCoreAsync()
    {
        var stop = _stop.Token;
        foreach (var route in AllRoutes)
        {
            if (!route.Target.IsAlias)
            {
                route.Desired = route.Target.Version;
                continue;
            }

            try
            {
                var version = await _registry.ResolveAsync(ModelUri.ForAlias(ModelName, route.Target.Alias!), stop).ConfigureAwait(false);
                lock (_gate)
                {
                    route.Desired ??= version.Version;
                }
            }
            catch (ModelNotFoundException)
            {
                // The alias does not exist yet: the route serves nothing until it is set.
            }
            catch (Exception exception) when (!stop.IsCancellationRequested)
            {
                // The registry is unreachable: the watch's first snapshot brings the alias when it is back.
                RouterLog.WatchFailed(_logger, ModelName, _options.RetryDelay, exception);
            }
        }

        if (AllRoutes.Any(r => r.Target.IsAlias))
        {
            _watchLoop = Task.Run(() => WatchLoopAsync(stop), CancellationToken.None);
        }

        try
        {
            await ReconcileAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            _reconcileLoop = Task.Run(() => ReconcileLoopAsync(stop), CancellationToken.None);
        }
    }

    private async Task WatchLoopAsync(CancellationToken stop)
    {
        var retry = _options.RetryDelay < TimeSpan.FromSeconds(5) ? _options.RetryDelay : TimeSpan.FromSeconds(5);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _registry.WatchAliasesAsync(ModelName, stop).ConfigureAwait(false))
                {
                    OnAliasChange(change);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                RouterLog.WatchFailed(_logger, ModelName, retry, exception);
                Raise(new ModelRouterEvent { Kind = ModelRouterEventKind.WatchFailed, ModelName = ModelName, Error = exception, Timestamp = _time.GetUtcNow() });
                try
                {
                    await Task.Delay(retry, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnAliasChange(ModelAliasChange change)
    {
        var matched = false;
        var removed = new List<RouteState>();
        lock (_gate)
        {
            foreach (var route in AllRoutes)
            {
                if (!route.Target.IsAlias || !string.Equals(route.Target.Alias, change.Alias, StringComparison.Ordinal))
                {
                    continue;
                }

                matched = true;
                route.Desired = change.Version;
                if (!change.IsSnapshot && change.Version is { } version && route.FailedVersion == version)
                {
                    // Moving the alias to a version that failed is an explicit request to try it again now.
                    route.NextRetry = null;
                }

                if (change.Version is null && !change.IsSnapshot)
                {
                    removed.Add(route);
                }
            }
        }

        foreach (var route in removed)
        {
            var serving = route.Current?.Version.Uri.ToString() ?? "nothing";
            RouterLog.AliasRemoved(_logger, route.Name, serving);
            Raise(new ModelRouterEvent { Kind = ModelRouterEventKind.AliasRemoved, ModelName = ModelName, Route = route.Name, PreviousVersion = change.PreviousVersion, Timestamp = _time.GetUtcNow() });
        }

        if (matched)
        {
            _wake.Pulse();
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pulse = _wake.NextPulse;
            try
            {
                var wait = await ReconcileAsync(stop).ConfigureAwait(false);
                await AliasChangeSignal.WaitAsync(pulse, wait, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Makes every route serve its desired version; returns how long until a failed version may be tried again.</summary>
    private async Task<TimeSpan> ReconcileAsync(CancellationToken stop)
    {
        foreach (var route in AllRoutes)
        {
            int version;
            lock (_gate)
            {
                if (route.Desired is not { } desired || route.Current?.Version.Version == desired
                    || (route.FailedVersion == desired && route.NextRetry is { } retry && retry > _time.GetUtcNow()))
                {
                    continue;
                }

                version = desired;
            }

            await SwitchAsync(route, version, stop).ConfigureAwait(false);
        }

        // Sleep until the earliest retry of a failed version an alias still points at (or until woken).
        var wait = Timeout.InfiniteTimeSpan;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var route in AllRoutes)
            {
                if (route.Desired is { } desired && route.FailedVersion == desired && route.Current?.Version.Version != desired && route.NextRetry is { } retry)
                {
                    var left = retry > now ? retry - now : TimeSpan.Zero;
                    wait = wait == Timeout.InfiniteTimeSpan || left < wait ? left : wait;
                }
            }
        }

        return wait;
    }

    private async Task SwitchAsync(RouteState route, int version, CancellationToken stop)
    {
        LoadedModelVersion<TModel>? loaded = null;
        lock (_gate)
        {
            if (_loaded.TryGetValue(version, out var existing) && existing.TryAddReference())
            {
                loaded = existing; // Another route serves it, or it is still draining: reuse it.
            }
        }

        var loadTime = TimeSpan.Zero;
        if (loaded is null)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                var stored = await _registry.GetVersionAsync(ModelName, version, stop).ConfigureAwait(false)
                    ?? throw new ModelNotFoundException($"{ModelUri.ForVersion(ModelName, version)} does not exist.", ModelName, version, null);
                if (stored.Status != ModelVersionStatus.Ready)
                {
                    throw new ModelRegistryException($"{stored.Uri} is {stored.Status.ToString().ToLowerInvariant()}, not ready: it has no files to load.");
                }

                var model = await _loader.LoadAsync(_registry, stored, stop).ConfigureAwait(false);
                loaded = new LoadedModelVersion<TModel>(model, stored, _onReleased);
                lock (_gate)
                {
                    _loaded[version] = loaded;
                }

                Interlocked.Increment(ref _loads);
                _metrics.Loaded();
            }
            catch (Exception exception) when (!stop.IsCancellationRequested)
            {
                RecordFailure(route, version, exception);
                return;
            }

            loadTime = Stopwatch.GetElapsedTime(start);
        }

        LoadedModelVersion<TModel>? previous;
        lock (_gate)
        {
            if (route.Desired != version || Volatile.Read(ref _disposed) != 0)
            {
                previous = null;
            }
            else
            {
                previous = route.Current;
                route.Current = loaded;
                if (route.FailedVersion is not null)
                {
                    route.FailedVersion = null;
                    route.LastError = null;
                    route.Failures = 0;
                    route.NextRetry = null;
                }

                loaded = null;
            }
        }

        if (loaded is not null)
        {
            // The alias moved on while this version loaded (or the router is closing): it is not needed.
            loaded.Release();
            return;
        }

        previous?.Release();
        _metrics.Switched(route.Name, version, loadTime);
        var uri = ModelUri.ForVersion(ModelName, version).ToString();
        RouterLog.Switched(_logger, route.Name, uri, previous?.Version.Uri.ToString(), loadTime.TotalMilliseconds);
        Raise(new ModelRouterEvent
        {
            Kind = ModelRouterEventKind.Switched,
            ModelName = ModelName,
            Route = route.Name,
            Version = version,
            PreviousVersion = previous?.Version.Version,
            LoadDuration = loadTime,
            Timestamp = _time.GetUtcNow(),
        });
    }

    private void RecordFailure(RouteState route, int version, Exception exception)
    {
        DateTimeOffset next;
        lock (_gate)
        {
            route.Failures = route.FailedVersion == version ? route.Failures + 1 : 1;
            route.FailedVersion = version;
            route.LastError = exception;
            var delay = _options.RetryDelay * Math.Pow(2, Math.Min(route.Failures - 1, 30));
            next = _time.GetUtcNow() + (delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay);
            route.NextRetry = next;
        }

        Interlocked.Increment(ref _failures);
        _metrics.LoadFailed(route.Name, version);
        var serving = route.Current?.Version.Uri.ToString() ?? "nothing";
        RouterLog.LoadFailed(_logger, route.Name, ModelUri.ForVersion(ModelName, version).ToString(), serving, next, exception);
        Raise(new ModelRouterEvent
        {
            Kind = ModelRouterEventKind.LoadFailed,
            ModelName = ModelName,
            Route = route.Name,
            Version = version,
            PreviousVersion = route.Current?.Version.Version,
            Error = exception,
            Timestamp = _time.GetUtcNow(),
        });
    }

    /// <summary>Called when a version's last reference is released (on whatever thread released it): unloads it in the background.</summary>
    private void OnReleased(LoadedModelVersion<TModel> loaded)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(loaded.Version.Version, out var current) && ReferenceEquals(current, loaded))
            {
                _loaded.Remove(loaded.Version.Version);
            }

            _pendingUnloads++;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _loader.UnloadAsync(loaded.Model).ConfigureAwait(false);
                Interlocked.Increment(ref _unloads);
                RouterLog.Unloaded(_logger, loaded.Version.Uri.ToString());
                Raise(new ModelRouterEvent { Kind = ModelRouterEventKind.Unloaded, ModelName = ModelName, Version = loaded.Version.Version, Timestamp = _time.GetUtcNow() });
            }
            catch (Exception exception)
            {
                RouterLog.UnloadFailed(_logger, loaded.Version.Uri.ToString(), exception);
            }
            finally
            {
                _metrics.Unloaded();
                lock (_gate)
                {
                    _pendingUnloads--;
                }

                CheckDrained();
            }
        });
    }

    private void CheckDrained()
    {
        bool drained;
        lock (_gate)
        {
            drained = Volatile.Read(ref _disposed) != 0 && _loaded.Count == 0 && _pendingUnloads == 0;
        }

        if (drained)
        {
            _drained.TrySetResult();
        }
    }
}
