using Aigc.Training;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Benchmarks.Training;

/// <summary>
/// One optimizer step of a GPT-2-architecture model with the GPT-2 vocabulary (V = 50257), width d = 128, L = 4 layers,
/// 4 heads, sequence T = 128, batch B = 8 (N = B·T = 1024 tokens), dropout 0: a LoRA step (r = 8 on <c>c_attn</c>) and
/// a full fine-tuning step, each exactly as the trainer runs it (forward, shifted cross-entropy through the fused LM
/// head and loss, backward, gradient clipping, AdamW), plus two references measured in the same run: a large square
/// float32 matrix product (the machine's peak multiply rate) and the LM head's two products alone, in the shapes and
/// chunks the step runs them (the rate this machine reaches on the products that dominate the step).
/// </summary>
/// <remarks>
/// <para>The columns (see <see cref="TrainingStepColumns"/>): <c>GFLOP</c> per operation, <c>GFLOP/s</c> achieved,
/// <c>x floor</c> = step time ÷ (FLOPs ÷ the <see cref="MatMul"/> rate), the goal being ≤ 1.5 for the LoRA step, and
/// the peak resident memory of the benchmark process while it measured (<c>Peak RSS</c>) and its rise over the
/// resident size after set-up (<c>Step mem</c>: activations, gradients, allocator caches).</para>
/// <para>FLOPs count matrix products only, 2 per multiply-add (element-wise work — softmax, GELU, LayerNorm, AdamW —
/// is what the ratio to the floor measures). Per layer, forward: <c>c_attn</c> 6Nd², attention scores and their
/// product with V 4NTd, <c>c_proj</c> 2Nd², MLP 16Nd² (inner width 4d): 24Nd² + 4NTd; LoRA adds A and B on
/// <c>c_attn</c>, 2Ndr + 6Ndr = 8Ndr. The tied LM head: 2NdV forward.</para>
/// <para>Backward: a frozen matrix needs only its input's gradient (1× its forward), a trained one also its weight's
/// (2×); the attention products have two activation operands (2×). So</para>
/// <para><b>LoRA step</b> = L·(24Nd² + 4NTd + 8Ndr) + 2NdV forward + L·(24Nd² + 8NTd + 16Ndr) + 2NdV backward
/// = L·(48Nd² + 12NTd + 24Ndr) + 4NdV ≈ 30.5 GFLOP, of which the frozen LM head's forward and its input gradient,
/// 4NdV = 26.3 GFLOP, are 86 %.</para>
/// <para><b>Full step</b> = L·(72Nd² + 12NTd) + 6NdV ≈ 45.2 GFLOP (the head's weight gradient adds 2NdV).</para>
/// <para><b>MatMul</b> = 2n³ for n = <see cref="MatMulSize"/>. <b>HeadProducts</b> = 4NdV: h·Wᵀ and G·W over the
/// same row chunks as the fused head and loss (<c>[~125, d] × [d, V]</c> and <c>[~125, V] × [V, d]</c>), nothing else.</para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(TrainingStepColumns.Config))]
public class TrainingStepBenchmarks
{
    public const int Batch = 8;
    public const int Sequence = 128;
    public const int Width = 128;
    public const int Layers = 4;
    public const int Heads = 4;
    public const int Vocabulary = 50257;
    public const int LoraRank = 8;
    public const int MatMulSize = 2048;

    private ITrainableLanguageModel _model = null!;
    private List<Parameter> _parameters = [];
    private OptimizerHelper _optimizer = null!;
    private Tensor _ids = null!;
    private Tensor _labels = null!;
    private Tensor _mask = null!;
    private Tensor _positions = null!;
    private Tensor _left = null!;
    private Tensor _right = null!;
    private Tensor _hidden = null!;
    private Tensor _head = null!;
    private Tensor _logitGradient = null!;
    private long _chunk;
    private PeakMemory _memory = null!;

    // Every label is scored but the last of each row (the trainer divides the summed loss by this count).
    private const double LabelScale = 1.0 / (Batch * (Sequence - 1));

    /// <summary>The model configuration of the step benchmarks.</summary>
    public static Gpt2Config Config => new()
    {
        VocabSize = Vocabulary,
        Positions = Sequence,
        EmbeddingSize = Width,
        Layers = Layers,
        Heads = Heads,
        ResidualDropout = 0,
        EmbeddingDropout = 0,
        AttentionDropout = 0,
    };

    /// <summary>The floating-point operations of one operation of a benchmark (see the class remarks for the formula).</summary>
    /// <param name="benchmark">The benchmark method's name.</param>
    /// <returns>The FLOPs.</returns>
    public static double Flops(string benchmark)
    {
        const double n = (double)Batch * Sequence;
        const double d = Width;
        const double v = Vocabulary;
        const double t = Sequence;
        const double r = LoraRank;
        return benchmark switch
        {
            nameof(LoraStep) => (Layers * ((48 * n * d * d) + (12 * n * t * d) + (24 * n * d * r))) + (4 * n * d * v),
            nameof(FullFineTuningStep) => (Layers * ((72 * n * d * d) + (12 * n * t * d))) + (6 * n * d * v),
            nameof(MatMul) => 2.0 * MatMulSize * MatMulSize * MatMulSize,
            nameof(HeadProducts) => 4 * n * d * v,
            _ => double.NaN,
        };
    }

    [GlobalSetup(Target = nameof(LoraStep))]
    public void SetupLora() => SetupStep(model => LoraModel.Create(model, new LoraConfig { Rank = LoraRank, Alpha = 16, TargetModules = ["c_attn"] }), nameof(LoraStep));

    [GlobalSetup(Target = nameof(FullFineTuningStep))]
    public void SetupFull() => SetupStep(model => new FullFineTuningModel(model), nameof(FullFineTuningStep));

    [GlobalSetup(Target = nameof(MatMul))]
    public void SetupMatMul()
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(1);
        _left = torch.randn(MatMulSize, MatMulSize);
        _right = torch.randn(MatMulSize, MatMulSize);
        _memory = PeakMemory.Start(nameof(MatMul));
    }

    [GlobalSetup(Target = nameof(HeadProducts))]
    public void SetupHeadProducts()
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(1);
        _chunk = Math.Max(1, FusedLmHeadLoss.ChunkBytes / (Vocabulary * sizeof(float)));
        _hidden = torch.randn(Batch * Sequence, Width);
        _head = torch.randn(Vocabulary, Width).mul_(0.02);
        _logitGradient = torch.randn(_chunk, Vocabulary);
        _memory = PeakMemory.Start(nameof(HeadProducts));
    }

    [GlobalCleanup]
    public void Cleanup() => _memory?.Stop();

    /// <summary>One LoRA step (r = 8 on <c>c_attn</c>; the base and the tied LM head frozen).</summary>
    [Benchmark]
    public float LoraStep() => Step();

    /// <summary>One full fine-tuning step (every weight trains, AdamW state for all of them).</summary>
    [Benchmark]
    public float FullFineTuningStep() => Step();

    /// <summary>A float32 <c>[n, n] × [n, n]</c> product: the machine's multiply rate through TorchSharp.</summary>
    [Benchmark]
    public float MatMul()
    {
        using var scope = torch.NewDisposeScope();
        return torch.matmul(_left, _right)[0, 0].item<float>();
    }

    /// <summary>The LM head's forward product and its input gradient's product, chunked as the fused head and loss runs them.</summary>
    [Benchmark]
    public float HeadProducts()
    {
        var rows = _hidden.shape[0];
        var sum = 0f;
        for (long start = 0; start < rows; start += _chunk)
        {
            using var scope = torch.NewDisposeScope();
            var length = Math.Min(_chunk, rows - start);
            var logits = torch.matmul(_hidden.narrow(0, start, length), _head.t());
            var input = torch.matmul(_logitGradient.narrow(0, 0, length), _head);
            sum += logits[0, 0].item<float>() + input[0, 0].item<float>();
        }

        return sum;
    }

    private void SetupStep(Func<Gpt2LanguageModel, ITrainableLanguageModel> wrap, string name)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(1);
        _model = wrap(new Gpt2LanguageModel(Config));
        _model.Model.train();
        _parameters = _model.TrainableParameters().Select(p => p.Parameter).ToList();
        _optimizer = torch.optim.AdamW(_parameters, lr: 1e-4);
        _ids = torch.randint(0, Vocabulary, [Batch, Sequence], dtype: ScalarType.Int64);
        _labels = _ids.clone();
        _mask = torch.ones(Batch, Sequence, dtype: ScalarType.Int64);
        _positions = torch.arange(Sequence, dtype: ScalarType.Int64).unsqueeze(0).expand(Batch, Sequence).contiguous();
        _memory = PeakMemory.Start(name);
    }

    private float Step()
    {
        using var scope = torch.NewDisposeScope();
        var loss = CausalLmLoss.ForwardBackward(_model, _ids, _mask, _positions, _labels, LabelScale);
        nn.utils.clip_grad_norm_(_parameters, 1.0);
        _optimizer.step();
        _optimizer.zero_grad();
        return (float)(loss * LabelScale);
    }
}
