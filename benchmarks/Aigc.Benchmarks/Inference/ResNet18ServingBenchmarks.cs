using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Benchmarks.Inference;

/// <summary>
/// ResNet18 (the ONNX file shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18, batch dimension made symbolic) served
/// three ways, side by side: 64 concurrent callers each calling <see cref="ModelSession.Run"/> for one image (naive);
/// a raw loop of full 32-image batches straight into ONNX Runtime with pre-allocated outputs (the ceiling); and the
/// same 64 callers, one image a request, through <see cref="BatchedModel"/> (max batch 32, max queue delay 50 ms,
/// one executor). One operation is one image. Goals: the batcher at ≥ 85 % of the ceiling's images/s, and its p99
/// latency at most the max queue delay plus two batch compute times (64 closed-loop callers keep one full batch
/// running and one waiting, so a request waits about one batch and runs in the next). Measured on 2 cores before any
/// Aigc code: batch 1 ≈ 23 images/s, batch 32 ≈ 72 images/s.
/// An invocation takes seconds: check with <c>--job Dry</c>, time with <c>--job short</c> on a quiet machine.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ServingColumns.Config))]
public class ResNet18ServingBenchmarks
{
    public const int Callers = 64;
    public const int MaxBatch = 32;
    public const int NaiveImages = Callers;
    public const int BatchedImages = Callers * 2;
    public static readonly TimeSpan MaxQueueDelay = TimeSpan.FromMilliseconds(50);

    private readonly LoadGenerator _load = new();
    private ModelSession _session = null!;
    private BatchedModel _batcher = null!;
    private InferenceRequest[] _requests = [];
    private OrtValue _batchInput = null!;
    private OrtValue _batchOutput = null!;
    private RunOptions _runOptions = null!;
    private string[] _inputNames = [];
    private string[] _outputNames = [];

    [GlobalSetup]
    public void Setup()
    {
        _session = ModelSession.LoadFromBytes(ResNet18Model.PreparedBytes(), "resnet18", new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu }, null);
        _batcher = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = MaxBatch, MaxQueueDelay = MaxQueueDelay, MaxQueueSize = 4096 });
        _requests = new InferenceRequest[Callers];
        for (var i = 0; i < Callers; i++)
        {
            _requests[i] = new InferenceRequest().Add(ResNet18Model.Input, InferenceTensor.Create<float>(ResNet18Model.Images(1, i), 1, 3, 224, 224));
        }

        _batchInput = OrtValue.CreateTensorValueFromMemory(ResNet18Model.Images(MaxBatch, seed: 99), [MaxBatch, 3, 224, 224]);
        _batchOutput = OrtValue.CreateTensorValueFromMemory(new float[MaxBatch * 512], [MaxBatch, 512, 1, 1]);
        _runOptions = new RunOptions();
        _inputNames = [ResNet18Model.Input];
        _outputNames = [ResNet18Model.Output];
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _load.Save("resnet18-" + BenchmarkName);
        await _batcher.DisposeAsync();
        _batchInput.Dispose();
        _batchOutput.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private string BenchmarkName { get; set; } = "none";

    [Benchmark(OperationsPerInvoke = NaiveImages, Description = "Naive: 64 callers, Run per request")]
    public Task NaivePerRequestRun()
    {
        BenchmarkName = nameof(NaivePerRequestRun);
        return _load.RunAsync(Callers, 1, caller => ValueTask.FromResult(_session.Run(_requests[caller])));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchedImages, Description = "Ceiling: raw loop of full batches")]
    public void RawFullBatches()
    {
        BenchmarkName = nameof(RawFullBatches);
        for (var i = 0; i < BatchedImages / MaxBatch; i++)
        {
            _session.OnnxSession.Run(_runOptions, _inputNames, [_batchInput], _outputNames, [_batchOutput]);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchedImages, Description = "Batcher: 64 callers")]
    public Task BatcherUnder64Callers()
    {
        BenchmarkName = nameof(BatcherUnder64Callers);
        return _load.RunAsync(Callers, BatchedImages / Callers, caller => _batcher.InferAsync(_requests[caller]));
    }
}
