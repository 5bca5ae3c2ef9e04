using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>
/// The parts of an Optimum Stable Diffusion ONNX folder: three or four sessions (inputs and outputs named as Optimum
/// exports them), the CLIP tokenizer, the scheduler configuration and the VAE scaling factor.
/// </summary>
internal sealed class DiffusionModel : IDisposable
{
    private const string TextInput = "input_ids";
    private const string TextOutput = "last_hidden_state";
    private const string UnetSample = "sample";
    private const string UnetTimestep = "timestep";
    private const string UnetHidden = "encoder_hidden_states";
    private const string UnetOutput = "out_sample";
    private const string DecoderInput = "latent_sample";
    private const string DecoderOutput = "sample";
    private const string EncoderInput = "sample";

    private readonly ModelSession _text;
    private readonly ModelSession _unet;
    private readonly ModelSession _decoder;
    private readonly ModelSession? _encoder;
    private readonly string _encoderOutput = "latent_sample";

    private DiffusionModel(DiffusionPipelineOptions options, string root, ILogger? logger)
    {
        Name = options.ModelName ?? new DirectoryInfo(root).Name;
        SchedulerConfig = SchedulerConfig.Load(Path.Combine(root, "scheduler", "scheduler_config.json"));
        DefaultScheduler = options.Scheduler ?? DiffusionScheduler.FromClassName(SchedulerConfig.ClassName) ?? DiffusionSchedulerKind.DpmSolverMultistep;
        ScalingFactor = ReadScalingFactor(root);
        var sessionOptions = new ModelSessionOptions { ExecutionProvider = options.ExecutionProvider, IntraOpThreads = options.IntraOpThreads, WarmUp = false };
        var loaded = new List<ModelSession>();
        try
        {
            _text = Load(root, "text_encoder", sessionOptions, logger, loaded);
            _unet = Load(root, "unet", sessionOptions, logger, loaded);
            _decoder = Load(root, "vae_decoder", sessionOptions, logger, loaded);
            if (File.Exists(Path.Combine(root, "vae_encoder", "model.onnx")))
            {
                _encoder = Load(root, "vae_encoder", sessionOptions, logger, loaded);
                _encoderOutput = _encoder.Metadata.TryGetOutput("latent_parameters", out _) ? "latent_parameters" : Require(_encoder, "latent_sample", output: true).Name;
                Require(_encoder, EncoderInput, output: false);
            }

            var ids = Require(_text, TextInput, output: false);
            TextIdsAreInt64 = ids.ElementType switch
            {
                TensorElementType.Int32 => false,
                TensorElementType.Int64 => true,
                _ => throw new ModelLoadException($"text_encoder input '{TextInput}' is {ids.ElementType}; Optimum exports it as int32 (int64 also works)."),
            };
            Require(_text, TextOutput, output: true);
            var sample = Require(_unet, UnetSample, output: false);
            RequireFloat(sample, "unet");
            var timestep = Require(_unet, UnetTimestep, output: false);
            TimestepType = timestep.ElementType is TensorElementType.Int64 or TensorElementType.Float or TensorElementType.Int32 or TensorElementType.Double
                ? timestep.ElementType
                : throw new ModelLoadException($"unet input '{UnetTimestep}' is {timestep.ElementType}; int64, int32, float or double is supported.");
            TimestepPerRow = timestep.Rank == 1 && timestep.Dimensions[0] != 1;
            Require(_unet, UnetHidden, output: false);
            Require(_unet, UnetOutput, output: true);
            LatentChannels = sample.Rank == 4 && sample.Dimensions[1] > 0 ? (int)sample.Dimensions[1] : 4;
            RequireFloat(Require(_decoder, DecoderInput, output: false), "vae_decoder");
            Require(_decoder, DecoderOutput, output: true);
            var textIds = _text.Metadata.Inputs[ids.Index];
            var fixedLength = textIds.Rank == 2 && textIds.Dimensions[1] > 0 ? (int)textIds.Dimensions[1] : (int?)null;
            Tokenizer = ClipTokenizer.Load(Path.Combine(root, "tokenizer"), fixedLength);
        }
        catch
        {
            foreach (var session in loaded)
            {
                session.Dispose();
            }

            throw;
        }
    }

    public string Name { get; }

    public SchedulerConfig SchedulerConfig { get; }

    public DiffusionSchedulerKind DefaultScheduler { get; }

    public ClipTokenizer Tokenizer { get; }

    /// <summary>Gets the VAE's latent scaling factor (<c>scaling_factor</c> in <c>vae_decoder/config.json</c>, 0.18215 when absent).</summary>
    public double ScalingFactor { get; }

    public int LatentChannels { get; }

    public bool HasEncoder => _encoder is not null;

    /// <summary>Gets whether the UNet takes one timestep per row (<c>timestep [batch]</c>); when it takes a single one, rows at different timesteps run in separate calls.</summary>
    public bool TimestepPerRow { get; }

    public TensorElementType TimestepType { get; }

    private bool TextIdsAreInt64 { get; }

    /// <summary>Loads the model folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing.</exception>
    /// <exception cref="ModelLoadException">A model does not have the inputs and outputs of the Optimum export.</exception>
    public static DiffusionModel Load(DiffusionPipelineOptions options, ILogger? logger)
    {
        var root = Path.GetFullPath(options.ModelPath);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The diffusion model folder '{root}' does not exist.");
        }

        return new DiffusionModel(options, root, logger);
    }

    /// <summary>Runs the text encoder on token ids <c>[count, length]</c>; returns <c>[count, length, hidden]</c> and the hidden size.</summary>
    public (float[] States, int Hidden) EncodeText(int[] ids, int count, CancellationToken cancellationToken)
    {
        var length = Tokenizer.MaxLength;
        var request = new InferenceRequest();
        if (TextIdsAreInt64)
        {
            request.Add(TextInput, InferenceTensor.Create<long>(Array.ConvertAll(ids, i => (long)i), count, length));
        }
        else
        {
            request.Add(TextInput, InferenceTensor.Create<int>(ids, count, length));
        }

        var output = _text.Run(request, cancellationToken).GetOutput<float>(TextOutput);
        if (output.Rank != 3 || output.Shape[0] != count || output.Shape[1] != length)
        {
            throw new InvalidDataException($"text_encoder returned '{TextOutput}' of shape {output}; [batch, {length}, hidden] was expected.");
        }

        return (output.Span.ToArray(), (int)output.Shape[2]);
    }

    /// <summary>Runs the UNet on <paramref name="rows"/> rows of latents with their timesteps and text states; returns its output.</summary>
    public float[] Denoise(float[] sample, int rows, int height, int width, double[] timesteps, float[] hidden, int hiddenSize, CancellationToken cancellationToken)
    {
        var request = new InferenceRequest()
            .Add(UnetSample, InferenceTensor.Create<float>(sample, rows, LatentChannels, height, width))
            .Add(UnetTimestep, Timesteps(timesteps))
            .Add(UnetHidden, InferenceTensor.Create<float>(hidden, rows, Tokenizer.MaxLength, hiddenSize));
        var output = _unet.Run(request, cancellationToken).GetOutput<float>(UnetOutput);
        if (output.ElementCount != sample.Length)
        {
            throw new InvalidDataException($"unet returned '{UnetOutput}' of shape {output}; the shape of its sample input was expected.");
        }

        return output.Span.ToArray();
    }

    /// <summary>Decodes latents <c>[count, C, h, w]</c> (already divided by the scaling factor) into images <c>[count, 3, 8h, 8w]</c> in [−1, 1].</summary>
    public float[] Decode(float[] latents, int count, int height, int width, CancellationToken cancellationToken)
    {
        var request = new InferenceRequest().Add(DecoderInput, InferenceTensor.Create<float>(latents, count, LatentChannels, height, width));
        var output = _decoder.Run(request, cancellationToken).GetOutput<float>(DecoderOutput);
        if (output.Rank != 4 || output.Shape[0] != count || output.Shape[1] != 3 || output.Shape[2] != height * 8 || output.Shape[3] != width * 8)
        {
            throw new InvalidDataException($"vae_decoder returned '{DecoderOutput}' of shape {output}; [{count}, 3, {height * 8}, {width * 8}] was expected.");
        }

        return output.Span.ToArray();
    }

    /// <summary>
    /// Encodes images <c>[count, 3, H, W]</c> in [−1, 1] into unscaled latents <c>[count, C, H/8, W/8]</c>: the encoder's
    /// <c>latent_sample</c>, or, for a <c>latent_parameters</c> export (mean and log-variance), mean + σ·z with z from each image's generator.
    /// </summary>
    public float[] Encode(float[] pixels, int count, int height, int width, GaussianNoise[] noise, CancellationToken cancellationToken)
    {
        var encoder = _encoder ?? throw new NotSupportedException("Image-to-image needs vae_encoder/model.onnx in the model folder; this model has none.");
        var request = new InferenceRequest().Add(EncoderInput, InferenceTensor.Create<float>(pixels, count, 3, height, width));
        var output = encoder.Run(request, cancellationToken).GetOutput<float>(_encoderOutput);
        var latentSize = LatentChannels * (height / 8) * (width / 8);
        if (_encoderOutput == "latent_sample")
        {
            return output.ElementCount == count * latentSize
                ? output.Span.ToArray()
                : throw new InvalidDataException($"vae_encoder returned 'latent_sample' of shape {output}; [{count}, {LatentChannels}, {height / 8}, {width / 8}] was expected.");
        }

        if (output.ElementCount != 2 * count * latentSize)
        {
            throw new InvalidDataException($"vae_encoder returned 'latent_parameters' of shape {output}; [{count}, {2 * LatentChannels}, {height / 8}, {width / 8}] was expected.");
        }

        var parameters = output.Span;
        var latents = new float[count * latentSize];
        for (var image = 0; image < count; image++)
        {
            var mean = parameters.Slice(image * 2 * latentSize, latentSize);
            var logVariance = parameters.Slice((image * 2 * latentSize) + latentSize, latentSize);
            for (var i = 0; i < latentSize; i++)
            {
                var std = Math.Exp(0.5 * Math.Clamp(logVariance[i], -30f, 20f));
                latents[(image * latentSize) + i] = (float)(mean[i] + (std * noise[image].Next()));
            }
        }

        return latents;
    }

    public void Dispose()
    {
        _text.Dispose();
        _unet.Dispose();
        _decoder.Dispose();
        _encoder?.Dispose();
    }

    private InferenceTensor Timesteps(double[] timesteps)
    {
        // The model takes one timestep per row, or a single one shared by the call (then every row has the same).
        var values = TimestepPerRow ? timesteps : [timesteps[0]];
        return TimestepType switch
        {
            TensorElementType.Int64 => InferenceTensor.Create<long>(Array.ConvertAll(values, t => (long)t), values.Length),
            TensorElementType.Int32 => InferenceTensor.Create<int>(Array.ConvertAll(values, t => (int)t), values.Length),
            TensorElementType.Double => InferenceTensor.Create<double>(values, values.Length),
            _ => InferenceTensor.Create<float>(Array.ConvertAll(values, t => (float)t), values.Length),
        };
    }

    private static ModelSession Load(string root, string part, ModelSessionOptions options, ILogger? logger, List<ModelSession> loaded)
    {
        var path = Path.Combine(root, part, "model.onnx");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The diffusion model folder has no {part}/model.onnx (the Optimum Stable Diffusion layout needs text_encoder, unet and vae_decoder).", path);
        }

        var session = ModelSession.Load(path, options, logger, part);
        loaded.Add(session);
        return session;
    }

    private static ModelTensorInfo Require(ModelSession session, string name, bool output)
    {
        var metadata = session.Metadata;
        var found = output ? metadata.TryGetOutput(name, out var info) : metadata.TryGetInput(name, out info);
        return found
            ? info!
            : throw new ModelLoadException(
                $"{session.Name}/model.onnx has no {(output ? "output" : "input")} '{name}' (it has {string.Join(", ", output ? metadata.OutputNames : metadata.InputNames)}); export it with Hugging Face Optimum.");
    }

    private static void RequireFloat(ModelTensorInfo input, string part)
    {
        if (input.ElementType != TensorElementType.Float)
        {
            throw new ModelLoadException($"{part} input '{input.Name}' is {input.ElementType}; only float32 exports are supported.");
        }
    }

    private static double ReadScalingFactor(string root)
    {
        var path = Path.Combine(root, "vae_decoder", "config.json");
        if (!File.Exists(path))
        {
            return 0.18215;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("scaling_factor", out var value) && value.TryGetDouble(out var factor) && factor > 0 ? factor : 0.18215;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {exception.Message}", exception);
        }
    }
}
