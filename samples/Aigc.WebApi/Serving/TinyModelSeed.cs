using Aigc.Data;
using Aigc.Training;
using TorchSharp;

namespace Aigc.WebApi.Serving;

/// <summary>
/// Makes the tiny model the host serves when nothing is configured, so it runs offline on a fresh clone: a
/// GPT-2-architecture decoder with the GPT-2 vocabulary, trained for a few steps on <see cref="SeedCorpus"/> as ChatML
/// chats (Aigc.Data tokenizes and packs, Aigc.Training trains), exported to ONNX with LoRA inputs, and two LoRA
/// adapters (<c>formal</c>, <c>playful</c>, random) as ONNX Runtime adapter files. It exists to exercise the serving
/// path; serve a model trained on real data (the Quickstart's) by setting <c>WebApi:Model</c>.
/// </summary>
internal static class TinyModelSeed
{
    /// <summary>The model file inside a seed folder.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The folder of adapter files inside a seed folder.</summary>
    public const string AdaptersFolder = "adapters";

    /// <summary>The adapters the seed model comes with.</summary>
    public static IReadOnlyList<string> AdapterNames { get; } = ["formal", "playful"];

    /// <summary>The architecture: the GPT-2 vocabulary (so the GPT-2 tokenizer applies), 256 positions, 2 layers of width 32.</summary>
    public static Gpt2Config Config => new() { VocabSize = 50257, Positions = 256, EmbeddingSize = 32, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    /// <summary>Returns the seed folder under <paramref name="directory"/>, writing it first when it is not there yet.</summary>
    /// <param name="directory">The folder to keep the seed in.</param>
    /// <param name="seed">The random seed of the weights.</param>
    /// <param name="trainingSteps">How many steps to train on <see cref="SeedCorpus"/> (0: random weights).</param>
    /// <returns>The folder holding <see cref="ModelFile"/> and <see cref="AdaptersFolder"/>.</returns>
    /// <param name="cancellationToken">Cancels the training.</param>
    public static async Task<string> EnsureAsync(string directory, int seed, int trainingSteps, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(target, ModelFile)))
        {
            return target;
        }

        var staging = target + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true); // left by a run that stopped half-way
        }

        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(seed);
        using (var model = new Gpt2LanguageModel(Config))
        {
            if (trainingSteps > 0)
            {
                await TrainAsync(model, Path.Combine(staging, "training"), seed, trainingSteps, cancellationToken).ConfigureAwait(false);
            }

            Export(model, staging);
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ModelFile)))
        {
            Directory.Delete(staging, recursive: true); // another process finished first
        }

        return target;
    }

    private static void Export(Gpt2LanguageModel model, string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, AdaptersFolder));
        using var scope = torch.NewDisposeScope();
        model.eval();
        var lora = new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn", "c_fc"] };
        var adapters = LoraModel.Create(model, lora, AdapterNames[0]);
        foreach (var name in AdapterNames.Skip(1))
        {
            adapters.AddAdapter(name, lora);
        }

        using (torch.no_grad())
        {
            // PEFT starts B at zero (an adapter that changes nothing); give each adapter weights of its own.
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains(".lora_B.", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.2);
                }
            }
        }

        OnnxExporter.Export(model, Path.Combine(directory, ModelFile), new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(lora), SourceModelVersion = "webapi-seed" });
        foreach (var name in AdapterNames)
        {
            adapters.SetActiveAdapter(name);
            OnnxAdapterWriter.Write(adapters, Path.Combine(directory, AdaptersFolder, name + OnnxAdapterWriter.FileExtension));
        }
    }

    private static async Task TrainAsync(Gpt2LanguageModel model, string outputDirectory, int seed, int steps, CancellationToken cancellationToken)
    {
        var tokenizer = RecordTokenizer.CreateGpt2(ChatTemplate.ChatML);
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 64 });
        var chats = SeedCorpus.Items.Select((item, i) => tokenizer.Tokenize(DataRecord.CreateChat($"seed-{i}", ("user", SeedCorpus.Ask(item.Product)), ("assistant", item.Description))));
        var sequences = packer.Pack(chats).ToList();
        using (var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = outputDirectory, MaxSteps = steps, BatchSize = 8, LearningRate = 5e-3, WarmupSteps = Math.Max(1, steps / 10),
            Schedule = LearningRateSchedule.Cosine, Seed = seed, ResumeFromCheckpoint = false,
        }))
        {
            await trainer.TrainAsync(sequences, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        Directory.Delete(outputDirectory, recursive: true);
    }
}
