using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Aigc.Inference.Tests.Routing;

public sealed class ModelRouterTests : RouterTestBase
{
    [Fact]
    public async Task Serves_the_alias_version_and_switches_atomically_when_the_alias_moves()
    {
        await RegisterMarkedAsync("writer", 1);
        await RegisterMarkedAsync("writer", 2);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var events = new ConcurrentQueue<ModelRouterEvent>();
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader()));
        router.Changed += (_, e) => events.Enqueue(e);

        var first = await router.InferAsync(VersionedGraphs.Zeros());
        Assert.Equal("models:/writer/1", first.VersionUri.ToString());
        Assert.Equal("models:/writer@champion", first.Route);
        Assert.Equal(1f, VersionedGraphs.MarkOf(first.Value));

        await Registry.SetAliasAsync("writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the router serves version 2");
        var second = await router.InferAsync(VersionedGraphs.Zeros());
        Assert.Equal(2, second.Version.Version);
        Assert.Equal(2f, VersionedGraphs.MarkOf(second.Value));

        // The version leaves LoadedVersions when its unload starts and counts in Unloads when the unload has finished.
        await WaitUntilAsync(() => router.GetStatus() is { Unloads: 1 } s && s.LoadedVersions.SequenceEqual([2]), "version 1 is unloaded");
        var status = router.GetStatus();
        Assert.Equal((2L, 1L, 0L), (status.Loads, status.Unloads, status.LoadFailures));
        var switched = events.Where(e => e.Kind == ModelRouterEventKind.Switched).ToList();
        Assert.Equal([(int?)1, 2], switched.Select(e => e.Version));
        Assert.Equal(1, switched[1].PreviousVersion);
        Assert.True(switched[1].LoadDuration > TimeSpan.Zero);
        Assert.Contains(events, e => e.Kind == ModelRouterEventKind.Unloaded && e.Version == 1);

        // Rollback is an alias move.
        await Registry.SetAliasAsync("writer", "champion", 1);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 1, "the router rolled back to version 1");
        Assert.Equal(1f, VersionedGraphs.MarkOf((await router.InferAsync(VersionedGraphs.Zeros())).Value));
    }

    [Fact]
    public async Task A_request_in_flight_finishes_on_the_old_version_which_is_unloaded_only_after_it()
    {
        await RegisterMarkedAsync("writer", 1);
        await RegisterMarkedAsync("writer", 2);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var loader = new CountingLoader<BatchedModel>(Loader());
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", loader));
        var held = await router.AcquireAsync();

        await Registry.SetAliasAsync("writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the router serves version 2");
        using (var fresh = await router.AcquireAsync())
        {
            Assert.Equal(2, fresh.Version.Version);
        }

        await Task.Delay(200);
        Assert.Equal(0, loader.Unloads);
        Assert.Equal([1, 2], router.GetStatus().LoadedVersions);
        var late = await held.Model.InferAsync(VersionedGraphs.Zeros());
        Assert.Equal(1f, VersionedGraphs.MarkOf(late));
        Assert.Equal(1, held.Version.Version);

        held.Dispose();
        await WaitUntilAsync(() => loader.Unloads == 1, "version 1 is unloaded once its lease is released");
        Assert.Equal(1, loader.Live);
        Assert.Throws<ObjectDisposedException>(() => held.Model);
    }

    [Fact]
    public async Task A_version_that_fails_to_load_leaves_the_old_one_serving_is_reported_and_is_not_retried_in_a_loop()
    {
        await RegisterMarkedAsync("writer", 1);
        var garbage = await RegisterBytesAsync("writer", "this is not an ONNX model"u8.ToArray());
        var tampered = await RegisterMarkedAsync("writer", 3);
        Tamper(tampered);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var loader = new CountingLoader<BatchedModel>(Loader());
        var failures = new ConcurrentQueue<ModelRouterEvent>();
        using var meter = new MeterCapture(InferenceMetricNames.RouterLoadFailures);
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", loader, new ModelRouterOptions { RetryDelay = TimeSpan.FromMinutes(5) }));
        router.Changed += (_, e) =>
        {
            if (e.Kind == ModelRouterEventKind.LoadFailed)
            {
                failures.Enqueue(e);
            }
        };
        await router.StartAsync();

        await Registry.SetAliasAsync("writer", "champion", garbage.Version);
        await WaitUntilAsync(() => failures.Count == 1, "the corrupt version's failure is reported");
        var status = router.GetStatus().Routes[0];
        Assert.Equal(1, status.ServingVersion!.Version);
        Assert.Equal(2, status.DesiredVersion);
        Assert.Equal(2, status.FailedVersion);
        Assert.Contains("could not load", status.LastError, StringComparison.Ordinal);
        Assert.NotNull(status.NextRetryAt);
        Assert.IsType<ModelLoadException>(failures.Single().Error);
        Assert.Equal(1f, VersionedGraphs.MarkOf((await router.InferAsync(VersionedGraphs.Zeros())).Value));

        // Not retried while the alias stays: the retry delay is minutes.
        var attempts = loader.Attempts;
        await Task.Delay(500);
        Assert.Equal(attempts, loader.Attempts);

        await Registry.SetAliasAsync("writer", "champion", tampered.Version);
        await WaitUntilAsync(() => failures.Count == 2, "the tampered version's failure is reported");
        Assert.IsType<ModelArtifactIntegrityException>(failures.Last().Error);
        Assert.Equal(1, router.GetStatus().Routes[0].ServingVersion!.Version);

        // Moving the alias to a failed version again is an explicit retry: tried once more, fails again.
        await Registry.SetAliasAsync("writer", "champion", garbage.Version);
        await WaitUntilAsync(() => failures.Count == 3, "the second try of the corrupt version is reported");
        Assert.Equal(1, router.GetStatus().Routes[0].ServingVersion!.Version);
        Assert.Equal(3L, router.GetStatus().LoadFailures);
        Assert.Equal(3, meter.Total);
        Assert.Equal(1, loader.Loads);
        Assert.Equal(1f, VersionedGraphs.MarkOf((await router.InferAsync(VersionedGraphs.Zeros())).Value));
    }

    [Fact]
    public async Task A_failed_version_is_retried_after_the_delay_while_its_alias_still_points_at_it()
    {
        await RegisterMarkedAsync("writer", 1);
        var broken = await RegisterMarkedAsync("writer", 2);
        var blob = Path.Combine(Registry.ArtifactsDirectory, "sha256", broken.Artifacts[0].Sha256[..2], broken.Artifacts[0].Sha256[2..]);
        var good = await File.ReadAllBytesAsync(blob);
        Tamper(broken);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader(), new ModelRouterOptions { RetryDelay = TimeSpan.FromMilliseconds(300) }));
        await router.StartAsync();

        await Registry.SetAliasAsync("writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ConsecutiveFailures >= 1, "the tampered version fails");
        await File.WriteAllBytesAsync(blob, good); // the file is restored

        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the restored version is picked up by a retry");
        Assert.Null(router.GetStatus().Routes[0].LastError);
        Assert.Equal(2f, VersionedGraphs.MarkOf((await router.InferAsync(VersionedGraphs.Zeros())).Value));
    }

    [Fact]
    public async Task Without_a_loadable_version_a_request_fails_saying_why()
    {
        await RegisterMarkedAsync("writer", 1);
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader()));

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => router.AcquireAsync().AsTask());

        Assert.Contains("models:/writer@champion: the alias does not exist", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ModelRouter<BatchedModel>(Registry, "writer", Loader(), new ModelRouterOptions { Routes = { new ModelRoute { Target = "champion" } } }));
        Assert.Throws<ArgumentException>(() => new ModelRouter<BatchedModel>(Registry, "writer", Loader(), new ModelRouterOptions { Routes = { new ModelRoute { Target = "models:/reader@champion" } } }));
    }

    [Fact]
    public async Task A_canary_splits_traffic_by_weight_and_keeps_each_key_on_one_version()
    {
        await RegisterMarkedAsync("writer", 1);
        await RegisterMarkedAsync("writer", 2);
        await Registry.SetAliasAsync("writer", "champion", 1);
        await Registry.SetAliasAsync("writer", "challenger", 2);
        #region canary
        var options = new ModelRouterOptions
        {
            Routes = { new ModelRoute { Target = "@champion", Weight = 80 }, new ModelRoute { Target = "@challenger", Weight = 20 } },
        };
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader(), options));
        await router.StartAsync();
        #endregion

        var byKey = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var key = "user-" + i;
            using var lease = await router.AcquireAsync(key);
            byKey[key] = lease.Version.Version;
        }

        var share = byKey.Values.Count(v => v == 2) / 4000.0;
        Assert.InRange(share, 0.17, 0.23);
        foreach (var (key, version) in byKey.Take(500))
        {
            using var again = await router.AcquireAsync(key);
            Assert.Equal(version, again.Version.Version);
            Assert.Equal(version == 1 ? "models:/writer@champion" : "models:/writer@challenger", again.Route);
        }

        var keyless = 0;
        for (var i = 0; i < 4000; i++)
        {
            using var lease = await router.AcquireAsync();
            keyless += lease.Version.Version == 2 ? 1 : 0;
        }

        Assert.InRange(keyless / 4000.0, 0.17, 0.23);

        // The answers agree with the attribution on both routes.
        foreach (var key in byKey.Keys.Take(40))
        {
            var result = await router.InferAsync(VersionedGraphs.Zeros(), key);
            Assert.Equal(byKey[key], result.Version.Version);
            Assert.Equal((float)result.Version.Version, VersionedGraphs.MarkOf(result.Value));
        }
    }

    [Fact]
    public async Task A_canary_route_that_cannot_load_sends_its_share_to_the_primary()
    {
        await RegisterMarkedAsync("writer", 1);
        var broken = await RegisterBytesAsync("writer", [1, 2, 3]);
        await Registry.SetAliasAsync("writer", "champion", 1);
        await Registry.SetAliasAsync("writer", "challenger", broken.Version);
        var options = new ModelRouterOptions { Routes = { new ModelRoute { Target = "@champion", Weight = 1 }, new ModelRoute { Target = "@challenger", Weight = 1 } } };
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader(), options));

        for (var i = 0; i < 50; i++)
        {
            var result = await router.InferAsync(VersionedGraphs.Zeros(), "k" + i);
            Assert.Equal(1, result.Version.Version);
        }

        Assert.Equal(2, router.GetStatus().Routes[1].FailedVersion);
    }

    [Fact]
    public async Task A_shadow_gets_mirrored_traffic_and_never_changes_or_fails_a_response()
    {
        await RegisterMarkedAsync("writer", 1);
        await RegisterMarkedAsync("writer", 2);
        await Registry.SetAliasAsync("writer", "champion", 1);
        await Registry.SetAliasAsync("writer", "challenger", 2);
        using var shadowRequests = new MeterCapture(InferenceMetricNames.ShadowRequests);
        using var shadowDuration = new MeterCapture(InferenceMetricNames.ShadowDuration);
        var router = Own(new ModelRouter<BatchedModel>(Registry, "writer", Loader(), new ModelRouterOptions { Shadow = "@challenger", MaxShadowConcurrency = 256 }));
        var ranOn = new ConcurrentDictionary<int, int>();

        for (var i = 0; i < 100; i++)
        {
            var routed = await router.RunAsync(
                VersionedGraphs.Zeros(),
                async (model, request, ct) =>
                {
                    var result = await model.InferAsync(request, ct);
                    var mark = (int)VersionedGraphs.MarkOf(result);
                    ranOn.AddOrUpdate(mark, 1, (_, n) => n + 1);
                    if (mark == 2)
                    {
                        throw new InvalidOperationException("the shadow's failure must not reach the caller");
                    }

                    return result;
                });
            Assert.Equal(1, routed.Version.Version);
            Assert.Equal(1f, VersionedGraphs.MarkOf(routed.Value));
        }

        await WaitUntilAsync(() => ranOn.GetValueOrDefault(2) == 100 && shadowRequests.Total == 100, "every request was mirrored to the shadow");
        Assert.Equal(100, ranOn[1]);
        Assert.Equal(100, shadowRequests.TotalWhere(InferenceMetricNames.OutcomeTag, InferenceMetricNames.Error));
        Assert.Equal(100, shadowDuration.Count);
        var status = router.GetStatus();
        Assert.True(status.Routes[1].IsShadow);
        Assert.Equal(2, status.Routes[1].ServingVersion!.Version);
    }

    /// <summary>Sums one instrument's measurements (of any router in the process: tests filter by what only they produce).</summary>
    private sealed class MeterCapture : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public MeterCapture(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == InferenceMetricNames.MeterName && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _measurements.Enqueue((value, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => _measurements.Enqueue((value, tags.ToArray())));
            _listener.Start();
        }

        public int Count => _measurements.Count(m => IsOurs(m.Tags));

        public long Total => (long)_measurements.Where(m => IsOurs(m.Tags)).Sum(m => m.Value);

        public long TotalWhere(string tag, string value) =>
            (long)_measurements.Where(m => IsOurs(m.Tags) && m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();

        // Tests of this class run one at a time (one xunit collection), and each uses model name "writer".
        private static bool IsOurs(KeyValuePair<string, object?>[] tags) => tags.Any(t => t.Key == InferenceMetricNames.ModelTag && Equals(t.Value, "writer"));
    }
}
