using System.Diagnostics;
using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Benchmarks.Inference;

/// <summary>
/// What the batcher itself costs, on a model that does almost nothing (x * scale + offset, [batch, 4] floats):
/// 64 concurrent callers, one row a request, through <see cref="BatchedModel"/> (max batch 64), against one
/// unbatched <see cref="ModelSession.Run"/>. One operation is one request. The allocated bytes per request of the
/// batcher are the caller's result (an <see cref="InferenceResult"/> with one 4-float tensor) and the caller's own
/// async state: input and output buffers are pooled and pinned, bindings cached, queue entries pooled.
/// <see cref="Traced"/> adds an <see cref="ActivityListener"/> that records every <c>Aigc.Inference</c> span
/// (one per request, one per batch): without it the batcher creates no activity.
/// </summary>
[MemoryDiagnoser]
public class BatcherOverheadBenchmarks
{
    public const int Callers = 64;
    public const int PerCaller = 64;

    private ModelSession _session = null!;
    private BatchedModel _batcher = null!;
    private InferenceRequest[] _requests = [];
    private ActivityListener? _listener;

    /// <summary>Gets or sets whether a listener samples the <c>Aigc.Inference</c> spans.</summary>
    [Params(false, true)]
    public bool Traced { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Traced)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == InferenceTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        _session = ModelSession.LoadFromBytes(TinyModel(), "tiny", new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1 }, null);
        _batcher = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = Callers, MaxQueueSize = 4096 });
        _requests = new InferenceRequest[Callers];
        for (var i = 0; i < Callers; i++)
        {
            _requests[i] = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { i, 1, 2, 3 }, 1, 4));
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _batcher.DisposeAsync();
        _session.Dispose();
        _listener?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Unbatched ModelSession.Run, 1 row")]
    public int UnbatchedRun() => _session.Run(_requests[0]).Rows;

    [Benchmark(OperationsPerInvoke = Callers * PerCaller, Description = "BatchedModel, 64 callers, 1 row each")]
    public async Task<int> Batched()
    {
        var tasks = new Task<int>[Callers];
        for (var c = 0; c < Callers; c++)
        {
            tasks[c] = Caller(_requests[c]);
        }

        var rows = 0;
        foreach (var task in tasks)
        {
            rows += await task.ConfigureAwait(false);
        }

        return rows;
    }

    private async Task<int> Caller(InferenceRequest request)
    {
        await Task.Yield();
        var rows = 0;
        for (var i = 0; i < PerCaller; i++)
        {
            rows += (await _batcher.InferAsync(request).ConfigureAwait(false)).Rows;
        }

        return rows;
    }

    internal static byte[] TinyModel()
    {
        static ValueInfoProto Value(string name) => new()
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)DataType.Float,
                    Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = 4 } } },
                },
            },
        };

        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value("x"));
        graph.Output.Add(Value("y"));
        graph.Initializer.Add(new TensorProto { Name = "scale", DataType = (int)DataType.Float, Dims = { 4 }, FloatData = { 0.5f, 2f, -1f, 4f } });
        graph.Initializer.Add(new TensorProto { Name = "offset", DataType = (int)DataType.Float, Dims = { 4 }, FloatData = { 1f, -2f, 0.25f, 8f } });
        graph.Node.Add(new NodeProto { OpType = "Mul", Input = { "x", "scale" }, Output = { "scaled" } });
        graph.Node.Add(new NodeProto { OpType = "Add", Input = { "scaled", "offset" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return model.ToByteArray();
    }
}
