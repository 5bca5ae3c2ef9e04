using System.Text.Json;
using Aigc.Training;
using Onnx;
using TorchSharp;
using static Aigc.Training.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Inference.Tests.Diffusion;

/// <summary>
/// A tiny random-weight Stable Diffusion in the Hugging Face Optimum ONNX layout, built with Aigc.Training's graph
/// builder: the real input and output names (text_encoder <c>input_ids</c> int32 → <c>last_hidden_state</c>; unet
/// <c>sample</c>, <c>timestep</c> int64, <c>encoder_hidden_states</c> → <c>out_sample</c>; vae_decoder
/// <c>latent_sample</c> → <c>sample</c>; vae_encoder <c>sample</c> → <c>latent_sample</c>), a CLIP BPE tokenizer with a
/// 30-odd-token vocabulary, and Stable Diffusion's scheduler configuration. Each row of the UNet depends only on its
/// own sample, timestep and text states, nonlinearly, so guidance, seeds and batching all show in the output.
/// </summary>
internal static class TinyStableDiffusion
{
    public const int Hidden = 16;
    public const int SequenceLength = 77;
    public const int Channels = 4;

    /// <summary>Writes the model folder (with a VAE encoder unless <paramref name="withEncoder"/> is false) and returns its path.</summary>
    /// <remarks>A positive <paramref name="unetWidth"/> puts two more 3 × 3 convolutions (4 → width → 4 channels) into the UNet, so it costs what benchmarks want it to.</remarks>
    public static string Create(string directory, bool withEncoder = true, string schedulerClass = "DPMSolverMultistepScheduler", int seed = 7, int unetWidth = 0)
    {
        TorchSharpRuntime.EnsureLoaded();
        Directory.CreateDirectory(directory);
        torch.manual_seed(seed);
        var vocabulary = WriteTokenizer(Path.Combine(directory, "tokenizer"));
        TextEncoder(vocabulary, Path.Combine(directory, "text_encoder", "model.onnx"));
        Unet(Path.Combine(directory, "unet", "model.onnx"), unetWidth);
        Decoder(Path.Combine(directory, "vae_decoder", "model.onnx"));
        if (withEncoder)
        {
            Encoder(Path.Combine(directory, "vae_encoder", "model.onnx"));
        }

        Write(Path.Combine(directory, "vae_decoder", "config.json"), """{"_class_name": "AutoencoderKL", "latent_channels": 4, "scaling_factor": 0.18215}""");
        Write(Path.Combine(directory, "scheduler", "scheduler_config.json"), $$"""
            {"_class_name": "{{schedulerClass}}", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
             "num_train_timesteps": 1000, "set_alpha_to_one": false, "steps_offset": 1, "clip_sample": false}
            """);
        Write(Path.Combine(directory, "model_index.json"), """
            {"_class_name": "ORTStableDiffusionPipeline", "text_encoder": ["optimum", "ORTModelTextEncoder"], "unet": ["optimum", "ORTModelUnet"],
             "vae_decoder": ["optimum", "ORTModelVaeDecoder"], "vae_encoder": ["optimum", "ORTModelVaeEncoder"],
             "tokenizer": ["transformers", "CLIPTokenizer"], "scheduler": ["diffusers", "DPMSolverMultistepScheduler"]}
            """);
        return directory;
    }

    /// <summary>Characters a–z and their end-of-word forms, a few merges, and CLIP's two special tokens.</summary>
    internal static int WriteTokenizer(string directory)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 'a'; c <= 'z'; c++)
        {
            vocab[c.ToString()] = vocab.Count;
        }

        for (var c = 'a'; c <= 'z'; c++)
        {
            vocab[c + "</w>"] = vocab.Count;
        }

        string[] merges = ["c a", "ca t</w>", "d o", "do g</w>", "r e", "re d</w>"];
        foreach (var merge in merges)
        {
            vocab[merge.Replace(" ", string.Empty, StringComparison.Ordinal)] = vocab.Count;
        }

        vocab["!"] = vocab.Count;
        vocab["!</w>"] = vocab.Count;
        vocab["<|startoftext|>"] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        Write(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab));
        Write(Path.Combine(directory, "merges.txt"), "#version: 0.2\n" + string.Join('\n', merges) + "\n");
        Write(Path.Combine(directory, "tokenizer_config.json"), """{"model_max_length": 77, "pad_token": "<|endoftext|>", "do_lower_case": true}""");
        return vocab.Count;
    }

    private static void TextEncoder(int vocabulary, string path)
    {
        var g = new OnnxGraphBuilder();
        g.Input("input_ids", DataType.Int32, "batch_size", "sequence_length");
        var embedded = g.Node("Gather", "embeddings", [g.Weight("token_embedding", torch.randn(vocabulary, Hidden)), "input_ids"]);
        var positioned = g.Node("Add", "embeddings", [embedded, g.Weight("position_embedding", torch.randn(SequenceLength, Hidden) * 0.5)]);
        var activated = g.Node("Tanh", "encoder", [positioned]);
        g.NamedNode("MatMul", "final", [activated, g.Weight("projection", torch.randn(Hidden, Hidden) / Math.Sqrt(Hidden))], "last_hidden_state");
        g.Output("last_hidden_state", DataType.Float, "batch_size", "sequence_length", Hidden);
        Save(g, path);
    }

    private static void Unet(string path, int width)
    {
        var g = new OnnxGraphBuilder();
        g.Input("sample", DataType.Float, "batch", Channels, "height", "width");
        g.Input("timestep", DataType.Int64, "steps");
        g.Input("encoder_hidden_states", DataType.Float, "batch", "sequence", Hidden);
        var conv = g.Node("Conv", "conv_in", ["sample", g.Weight("conv_in.weight", torch.randn(Channels, Channels, 3, 3) * 0.3), g.Weight("conv_in.bias", torch.randn(Channels) * 0.1)], Attribute("pads", [1L, 1, 1, 1]));
        if (width > 0)
        {
            var wide = g.Node("Relu", "block", [g.Node("Conv", "block", [conv, g.Weight("block.conv1.weight", torch.randn(width, Channels, 3, 3) * 0.2)], Attribute("pads", [1L, 1, 1, 1]))]);
            conv = g.Node("Add", "block", [conv, g.Node("Conv", "block", [wide, g.Weight("block.conv2.weight", torch.randn(Channels, width, 3, 3) / (3 * Math.Sqrt(width)))], Attribute("pads", [1L, 1, 1, 1]))]);
        }

        var pooled = g.Node("ReduceMean", "text", ["encoder_hidden_states"], Attribute("axes", [1L]), Attribute("keepdims", 0L));
        var text = g.Node("MatMul", "text", [pooled, g.Weight("text.weight", torch.randn(Hidden, Channels) * 0.5)]);
        var text4 = g.Node("Unsqueeze", "text", [text, g.Int64([2, 3])]);
        var time = g.Node("Cast", "time", ["timestep"], Attribute("to", (long)DataType.Float));
        var scaled = g.Node("Mul", "time", [time, g.Float(0.001f)]);
        var time4 = g.Node("Reshape", "time", [scaled, g.Int64([-1, 1, 1, 1])]);
        var timeEmbedding = g.Node("Mul", "time", [time4, g.Weight("time.weight", torch.randn(1, Channels, 1, 1))]);
        var sum = g.Node("Add", "mid", [g.Node("Add", "mid", [conv, text4]), timeEmbedding]);
        g.NamedNode("Tanh", "conv_out", [sum], "out_sample");
        g.Output("out_sample", DataType.Float, "batch", Channels, "height", "width");
        Save(g, path);
    }

    private static void Decoder(string path)
    {
        var g = new OnnxGraphBuilder();
        g.Input("latent_sample", DataType.Float, "batch", Channels, "latent_height", "latent_width");
        var up = g.Node("ConvTranspose", "decoder", ["latent_sample", g.Weight("decoder.weight", torch.randn(Channels, 3, 8, 8) * 0.3), g.Weight("decoder.bias", torch.randn(3) * 0.1)], Attribute("strides", [8L, 8]));
        g.NamedNode("Tanh", "decoder", [up], "sample");
        g.Output("sample", DataType.Float, "batch", 3, "height", "width");
        Save(g, path);
    }

    private static void Encoder(string path)
    {
        var g = new OnnxGraphBuilder();
        g.Input("sample", DataType.Float, "batch", 3, "height", "width");
        g.NamedNode("Conv", "encoder", ["sample", g.Weight("encoder.weight", torch.randn(Channels, 3, 8, 8) * 0.05), g.Weight("encoder.bias", torch.zeros(Channels))], "latent_sample", Attribute("strides", [8L, 8]));
        g.Output("latent_sample", DataType.Float, "batch", Channels, "latent_height", "latent_width");
        Save(g, path);
    }

    private static void Save(OnnxGraphBuilder g, string path)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "aigc-tests", Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        OnnxModelFile.Save(model, g.Initializers, path, long.MaxValue);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
