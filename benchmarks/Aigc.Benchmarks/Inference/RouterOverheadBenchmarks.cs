using Aigc.Inference;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Inference;

/// <summary>
/// What routing through aliases costs per request, on the batcher-overhead model (x * scale + offset, [batch, 4]):
/// 64 concurrent callers, one row a request, straight to a <see cref="BatchedModel"/> (the baseline) against the same
/// model loaded from a SQLite registry and reached through <see cref="ModelRouter{TModel}"/> (pick a route, lease the
/// version, run, release, attribute the answer). Also a bare lease (acquire + dispose) with one and with two canary
/// routes. One operation is one request.
/// </summary>
[MemoryDiagnoser]
public class RouterOverheadBenchmarks
{
    public const int Callers = 64;
    public const int PerCaller = 64;

    private string _root = string.Empty;
    private SqliteModelRegistry _registry = null!;
    private BatchedModel _direct = null!;
    private ModelRouter<BatchedModel> _router = null!;
    private ModelRouter<BatchedModel> _canary = null!;
    private InferenceRequest[] _requests = [];

    [GlobalSetup]
    public async Task Setup()
    {
        _root = Directory.CreateTempSubdirectory("aigc-router-bench-").FullName;
        var file = Path.Combine(_root, "model.onnx");
        await File.WriteAllBytesAsync(file, BatcherOverheadBenchmarks.TinyModel());
        _registry = new SqliteModelRegistry(Path.Combine(_root, "registry.db"), Path.Combine(_root, "artifacts"));
        await _registry.RegisterVersionAsync("tiny", file);
        await _registry.RegisterVersionAsync("tiny", file);
        await _registry.SetAliasAsync("tiny", "champion", 1);
        await _registry.SetAliasAsync("tiny", "challenger", 2);
        var session = new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1 };
        var batching = new BatchingOptions { MaxBatchSize = Callers, MaxQueueSize = 4096 };
        _direct = BatchedModel.Load(file, session, batching);
        _router = new ModelRouter<BatchedModel>(_registry, "tiny", new BatchedModelLoader(session, batching));
        await _router.StartAsync();
        var canary = new ModelRouterOptions { Routes = { new ModelRoute { Target = "@champion", Weight = 90 }, new ModelRoute { Target = "@challenger", Weight = 10 } } };
        _canary = new ModelRouter<BatchedModel>(_registry, "tiny", new BatchedModelLoader(session, batching), canary);
        await _canary.StartAsync();
        _requests = new InferenceRequest[Callers];
        for (var i = 0; i < Callers; i++)
        {
            _requests[i] = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { i, 1, 2, 3 }, 1, 4));
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _router.DisposeAsync();
        await _canary.DisposeAsync();
        await _direct.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Callers * PerCaller, Description = "BatchedModel, 64 callers")]
    public Task<int> Direct() => RunAll(static (b, r) => DirectCaller(b, r));

    [Benchmark(OperationsPerInvoke = Callers * PerCaller, Description = "ModelRouter.InferAsync, 64 callers")]
    public Task<int> Routed() => RunAll(static (b, r) => RoutedCaller(b, r));

    [Benchmark(OperationsPerInvoke = 1024, Description = "Lease acquire + dispose, 1 route")]
    public int Lease() => Leases(_router, null);

    [Benchmark(OperationsPerInvoke = 1024, Description = "Lease acquire + dispose, canary 90/10 by key")]
    public int CanaryLease() => Leases(_canary, "user-42");

    private static int Leases(ModelRouter<BatchedModel> router, string? key)
    {
        var sum = 0;
        for (var i = 0; i < 1024; i++)
        {
            router.TryAcquire(key, out var lease);
            sum += lease!.Version.Version;
            lease.Dispose();
        }

        return sum;
    }

    private static async Task<int> DirectCaller(RouterOverheadBenchmarks b, InferenceRequest request)
    {
        await Task.Yield();
        var rows = 0;
        for (var i = 0; i < PerCaller; i++)
        {
            rows += (await b._direct.InferAsync(request).ConfigureAwait(false)).Rows;
        }

        return rows;
    }

    private static async Task<int> RoutedCaller(RouterOverheadBenchmarks b, InferenceRequest request)
    {
        await Task.Yield();
        var rows = 0;
        for (var i = 0; i < PerCaller; i++)
        {
            rows += (await b._router.InferAsync(request).ConfigureAwait(false)).Value.Rows;
        }

        return rows;
    }

    private async Task<int> RunAll(Func<RouterOverheadBenchmarks, InferenceRequest, Task<int>> caller)
    {
        var tasks = new Task<int>[Callers];
        for (var c = 0; c < Callers; c++)
        {
            tasks[c] = caller(this, _requests[c]);
        }

        var rows = 0;
        foreach (var task in tasks)
        {
            rows += await task.ConfigureAwait(false);
        }

        return rows;
    }
}
