using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Benchmarks.Optimization;

/// <summary>
/// Per-token decode time on the CPU through ONNX Runtime with the KV cache (16 steps after a 32-token prefill,
/// reported per token) of the fp32 teacher, a student trained alone, the distilled student and the structurally
/// pruned teacher (<see cref="DistillPruneModels"/>), side by side, with their ONNX file size, parameter count and
/// held-out perplexity as columns.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DistillPruneColumns.Config))]
public class DistillPruneBenchmarks
{
    private const int Prompt = 32;
    private const int Steps = 16;

    private DecoderModel _model = null!;
    private KvBatch _working = null!;
    private RunOptions _runOptions = null!;
    private List<(KvBatch, int, SequenceState)> _source = [];

    [GlobalSetup(Target = nameof(Teacher))]
    public void SetupTeacher() => Setup("teacher");

    [GlobalSetup(Target = nameof(StudentAlone))]
    public void SetupStudent() => Setup("student");

    [GlobalSetup(Target = nameof(Distilled))]
    public void SetupDistilled() => Setup("distilled");

    [GlobalSetup(Target = nameof(Pruned))]
    public void SetupPruned() => Setup("pruned");

    [GlobalCleanup]
    public void Cleanup()
    {
        _runOptions.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float Teacher() => Decode();

    [Benchmark(OperationsPerInvoke = Steps)]
    public float StudentAlone() => Decode();

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Distilled() => Decode();

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Pruned() => Decode();

    /// <summary>The ONNX file and statistics key of a benchmark method.</summary>
    internal static string ModelName(string method) => method switch
    {
        nameof(Teacher) => "teacher",
        nameof(StudentAlone) => "student",
        nameof(Distilled) => "distilled",
        _ => "pruned",
    };

    private void Setup(string name)
    {
        DistillPruneModels.EnsureBuilt();
        _model = new DecoderModel(new GenerationEngineOptions { ModelPath = DistillPruneModels.OnnxPath(name), IntraOpThreads = 1 });
        _runOptions = new RunOptions();
        var prompt = DistillPruneModels.Corpus(1, seed: 3)[0].InputIds.ToArray()[..Prompt];
        var sequence = new SequenceState(new GenerationRequest(prompt), 1, new HashSet<int>(), null, 0);
        var prefilled = new KvBatch(_model);
        prefilled.StartSingle(sequence);
        prefilled.PrepareInputs(Prompt);
        for (var t = 0; t < Prompt; t++)
        {
            prefilled.Ids[t] = prompt[t];
            prefilled.Positions[t] = t;
        }

        prefilled.Run(_runOptions, Prompt);
        _working = new KvBatch(_model);
        _source = [(prefilled, 0, sequence)];
    }

    private float Decode()
    {
        _working.Repack(_source);
        var sum = 0f;
        for (var step = 0; step < Steps; step++)
        {
            _working.PrepareInputs(1);
            _working.Ids[0] = (7 * step) % DistillPruneModels.Vocab;
            _working.Positions[0] = Prompt + step;
            sum += _working.Run(_runOptions, 1)[0];
        }

        return sum;
    }
}
