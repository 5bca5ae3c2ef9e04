using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class WeightDecayGroupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-decay-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// A frozen model plus probe parameters that get an exact zero gradient: Adam's update of a zero gradient is 0, so
    /// whatever changes a probe is AdamW's decoupled decay, <c>p ← p·(1 − lr·wd)</c>.
    /// </summary>
    private sealed class ProbeModel : ITrainableLanguageModel
    {
        private readonly List<(string Name, Parameter Parameter)> _probes;

        public ProbeModel(IEnumerable<string> names)
        {
            Model = new Gpt2LanguageModel(SyntheticCorpus.Config);
            foreach (var (_, parameter) in Model.named_parameters())
            {
                parameter.requires_grad = false;
            }

            _probes = names.Select(n => (n, new Parameter(torch.ones(3), requires_grad: true))).ToList();
        }

        public Gpt2LanguageModel Model { get; }

        public string Method => "probe";

        public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() => _probes;

        public Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds)
        {
            var logits = Model.Forward(inputIds, attentionMask, positionIds).Logits;
            foreach (var (_, probe) in _probes)
            {
                logits = logits + (probe.sum() * 0);
            }

            return logits;
        }

        public IReadOnlyDictionary<string, Tensor> GetTrainableState() => _probes.ToDictionary(p => p.Name, p => (Tensor)p.Parameter);

        public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state)
        {
        }

        public void Save(string directory)
        {
        }
    }

    [Fact]
    public async Task Weights_decay_but_biases_and_LayerNorm_weights_do_not()
    {
        string[] names = ["transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias", "transformer.h.0.ln_1.weight", "transformer.h.0.ln_2.bias", "transformer.ln_f.weight", "transformer.wte.weight", "prompt_embeddings"];
        torch.manual_seed(1);
        var model = new ProbeModel(names);
        using var trainer = new CausalLmTrainer(model, new TrainerOptions
        {
            OutputDirectory = _root,
            MaxSteps = 2,
            BatchSize = 4,
            LearningRate = 0.1,
            WeightDecay = 0.5,
            Schedule = LearningRateSchedule.Constant,
        });

        await trainer.TrainAsync(SyntheticCorpus.CorpusB(8, 8, seed: 1));

        var values = model.TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter.mean().item<float>());
        var decayed = 0.95 * 0.95;
        Assert.Equal(decayed, values["transformer.h.0.attn.c_attn.weight"], 5);
        Assert.Equal(decayed, values["transformer.wte.weight"], 5);
        Assert.Equal(decayed, values["prompt_embeddings"], 5);
        Assert.Equal(1.0, values["transformer.h.0.attn.c_attn.bias"], 6);
        Assert.Equal(1.0, values["transformer.h.0.ln_1.weight"], 6);
        Assert.Equal(1.0, values["transformer.h.0.ln_2.bias"], 6);
        Assert.Equal(1.0, values["transformer.ln_f.weight"], 6);
    }
}
