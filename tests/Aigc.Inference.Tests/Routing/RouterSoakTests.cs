using System.Diagnostics;
using Xunit.Abstractions;

namespace Aigc.Inference.Tests.Routing;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "router soak (runs alone: it measures the process's memory)";
}

/// <summary>
/// The hot-swap check: 64 concurrent clients for 30 s while an alias flips 100 times between two versions and a
/// corrupt version is tried twice. Every request must succeed and carry the version that really answered it (each
/// version's answers carry its own mark), every old version must be unloaded, and memory must come back near its
/// baseline. <c>AIGC_SOAK_SECONDS</c> changes the duration (30 by default).
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class RouterSoakTests(ITestOutputHelper output) : RouterTestBase
{
    private const int Clients = 64;
    private const int Flips = 100;

    private static TimeSpan Duration => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("AIGC_SOAK_SECONDS"), out var seconds) && seconds > 0 ? seconds : 30);

    [Fact]
    public async Task Sixty_four_clients_see_no_failure_and_true_versions_while_the_alias_flips_a_hundred_times()
    {
        await RegisterMarkedAsync("soak", 1);
        await RegisterMarkedAsync("soak", 2);
        var corrupt = await RegisterBytesAsync("soak", VersionedGraphs.Marked(3, seed: 3)[..4096]); // a truncated ONNX file
        await Registry.SetAliasAsync("soak", "champion", 1);
        var loader = new CountingLoader<BatchedModel>(Loader());
        var router = Own(new ModelRouter<BatchedModel>(Registry, "soak", loader, new ModelRouterOptions { RetryDelay = TimeSpan.FromMinutes(5) }));
        var switches = 0;
        router.Changed += (_, e) => switches += e.Kind == ModelRouterEventKind.Switched ? 1 : 0;
        await router.StartAsync();
        for (var i = 0; i < 50; i++)
        {
            await router.InferAsync(VersionedGraphs.Zeros());
        }

        var (managedBefore, residentBefore) = Memory();
        using var stop = new CancellationTokenSource();
        long served = 0, failed = 0, misattributed = 0;
        var servedBy = new long[3];
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var request = VersionedGraphs.Zeros();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = await router.InferAsync(request);
                    var version = result.Version.Version;
                    if (VersionedGraphs.MarkOf(result.Value) != version)
                    {
                        Interlocked.Increment(ref misattributed);
                    }

                    Interlocked.Increment(ref servedBy[version]);
                    Interlocked.Increment(ref served);
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref failed);
                    errors.Enqueue(exception);
                }
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        var interval = Duration / Flips;
        var corruptTries = 0;
        for (var flip = 1; flip <= Flips; flip++)
        {
            if (flip is Flips / 3 or 2 * Flips / 3)
            {
                // A corrupt version: the router must keep serving what it serves and report the failure.
                var failures = router.GetStatus().LoadFailures;
                await Registry.SetAliasAsync("soak", "champion", corrupt.Version);
                await WaitUntilAsync(() => router.GetStatus().LoadFailures == failures + 1, "the corrupt version's failure is reported");
                corruptTries++;
            }

            var target = flip % 2 == 1 ? 2 : 1;
            await Registry.SetAliasAsync("soak", "champion", target);
            await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == target, $"flip {flip} reaches version {target}");
            var next = interval * flip;
            if (clock.Elapsed < next)
            {
                await Task.Delay(next - clock.Elapsed);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var elapsed = clock.Elapsed;
        await WaitUntilAsync(() => loader.Live == 1 && router.GetStatus() is { LoadedVersions.Count: 1 } s && s.Unloads == s.Loads - 1, "every old version is unloaded");
        var (managedAfter, residentAfter) = Memory();
        var status = router.GetStatus();

        output.WriteLine(
            $"{served} requests in {elapsed.TotalSeconds:F1} s ({served / elapsed.TotalSeconds:F0}/s) by {Clients} clients: " +
            $"{servedBy[1]} by version 1, {servedBy[2]} by version 2; {Flips} flips, {corruptTries} corrupt tries; " +
            $"{failed} failed, {misattributed} misattributed; switches {switches}, loads {status.Loads}, unloads {status.Unloads}, load failures {status.LoadFailures}; " +
            $"managed heap {managedBefore / 1048576.0:F1} → {managedAfter / 1048576.0:F1} MB, resident {residentBefore / 1048576.0:F0} → {residentAfter / 1048576.0:F0} MB.");
        Assert.True(failed == 0, $"{failed} requests failed, first: {(errors.TryPeek(out var first) ? first : null)}");
        Assert.Equal(0, misattributed);
        Assert.True(servedBy[1] > 0 && servedBy[2] > 0);
        Assert.Equal(2, corruptTries);
        Assert.Equal(2, status.LoadFailures);
        Assert.Equal(Flips + 1, switches);
        Assert.Equal(status.Loads - 1, status.Unloads); // flipping back to a version still finishing requests reuses it
        Assert.Equal(status.Unloads, loader.Unloads);
        Assert.Equal([Flips % 2 == 1 ? 2 : 1], status.LoadedVersions);

        // 100 sessions of a 4 MB model were loaded and dropped: a leak of even a third of them would show.
        Assert.InRange(managedAfter - managedBefore, long.MinValue, 64L << 20);
        Assert.InRange(residentAfter - residentBefore, long.MinValue, 160L << 20);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static (long Managed, long Resident) Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        if (OperatingSystem.IsLinux())
        {
            // Hand freed native pages back to the OS, so what remains resident is what is still allocated.
            _ = MallocTrim(0);
        }

        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
