namespace Aigc.Inference;

/// <summary>A validated request with its sizes, scheduler and seed settled: prepares its denoising job and decodes its result.</summary>
internal sealed class ImageRequestPlan
{
    private const int DefaultSize = 512;

    private ImageRequestPlan(DiffusionRequest request, int width, int height, DiffusionSchedulerKind scheduler, bool guided, int seed)
    {
        Request = request;
        Width = width;
        Height = height;
        Scheduler = scheduler;
        Guided = guided;
        Seed = seed;
    }

    public DiffusionRequest Request { get; }

    public int Width { get; }

    public int Height { get; }

    public DiffusionSchedulerKind Scheduler { get; }

    public bool Guided { get; }

    public int Seed { get; }

    /// <summary>Checks a request against the model and the batch limit.</summary>
    public static ImageRequestPlan Create(DiffusionRequest request, DiffusionModel model, int maxRows, bool alwaysGuide)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Prompt, nameof(request));
        var trainSteps = model.SchedulerConfig.NumTrainTimesteps;
        if (request.Steps < 1 || request.Steps > trainSteps)
        {
            throw new ArgumentException($"Steps is {request.Steps}; it must be between 1 and the model's {trainSteps} training timesteps.", nameof(request));
        }

        if (request.ImageCount < 1)
        {
            throw new ArgumentException($"ImageCount is {request.ImageCount}; it must be at least 1.", nameof(request));
        }

        if (!float.IsFinite(request.GuidanceScale))
        {
            throw new ArgumentException("GuidanceScale must be a finite number.", nameof(request));
        }

        var guided = request.GuidanceScale > 1 || alwaysGuide;
        var rows = request.ImageCount * (guided ? 2 : 1);
        if (rows > maxRows)
        {
            throw new ArgumentException(
                $"The request needs {rows} UNet rows ({request.ImageCount} image(s){(guided ? " × 2 for guidance" : string.Empty)}) but the pipeline's MaxBatchSize is {maxRows}; ask for fewer images or raise MaxBatchSize.",
                nameof(request));
        }

        int width, height;
        if (request.InitImage is { } init)
        {
            if (!model.HasEncoder)
            {
                throw new NotSupportedException("Image-to-image needs vae_encoder/model.onnx in the model folder; this model has none.");
            }

            if (!(request.Strength > 0 && request.Strength <= 1))
            {
                throw new ArgumentException($"Strength is {request.Strength}; it must be in (0, 1].", nameof(request));
            }

            if ((int)(request.Steps * request.Strength) < 1)
            {
                throw new ArgumentException($"Strength {request.Strength} of {request.Steps} steps leaves no step to run; raise Strength or Steps so that Steps × Strength ≥ 1.", nameof(request));
            }

            var (imageWidth, imageHeight) = ImageCodec.Size(init.Span);
            width = request.Width ?? imageWidth / 8 * 8;
            height = request.Height ?? imageHeight / 8 * 8;
        }
        else
        {
            width = request.Width ?? DefaultSize;
            height = request.Height ?? DefaultSize;
        }

        CheckSize(width, nameof(request.Width));
        CheckSize(height, nameof(request.Height));
        var seed = request.Seed ?? Random.Shared.Next();
        return new ImageRequestPlan(request, width, height, request.Scheduler ?? model.DefaultScheduler, guided, seed);
    }

    /// <summary>Encodes the prompts and draws (or, for image-to-image, encodes and noises) the initial latents.</summary>
    public DenoisingJob Prepare(DiffusionModel model, IProgress<DiffusionProgress>? progress, long arrived, CancellationToken cancellationToken)
    {
        var request = Request;
        var tokenizer = model.Tokenizer;
        var length = tokenizer.MaxLength;
        var prompt = tokenizer.Encode(request.Prompt);
        float[] conditional;
        float[]? unconditional = null;
        int hidden;
        if (Guided)
        {
            var ids = new int[2 * length];
            tokenizer.Encode(request.NegativePrompt ?? string.Empty).CopyTo(ids, 0);
            prompt.CopyTo(ids, length);
            var (states, size) = model.EncodeText(ids, 2, cancellationToken);
            hidden = size;
            unconditional = states.AsSpan(0, length * size).ToArray();
            conditional = states.AsSpan(length * size).ToArray();
        }
        else
        {
            (conditional, hidden) = model.EncodeText(prompt, 1, cancellationToken);
        }

        var count = request.ImageCount;
        var latentHeight = Height / 8;
        var latentWidth = Width / 8;
        var latentSize = model.LatentChannels * latentHeight * latentWidth;
        var noise = new GaussianNoise[count];
        var schedulers = new DiffusionScheduler[count];
        var latents = new float[count][];
        for (var i = 0; i < count; i++)
        {
            noise[i] = new GaussianNoise(unchecked(Seed + i));
            schedulers[i] = DiffusionScheduler.Create(Scheduler, model.SchedulerConfig, request.Steps);
            latents[i] = new float[latentSize];
        }

        var start = 0;
        if (request.InitImage is { } init)
        {
            start = request.Steps - Math.Min((int)(request.Steps * request.Strength), request.Steps);
            var pixels = Pixels.ToModel(ImageCodec.DecodeRgb(init.Span, Width, Height), Width, Height);
            var batch = new float[count * pixels.Length];
            for (var i = 0; i < count; i++)
            {
                pixels.CopyTo(batch, i * pixels.Length);
            }

            var encoded = model.Encode(batch, count, Height, Width, noise, cancellationToken);
            var draw = new float[latentSize];
            for (var i = 0; i < count; i++)
            {
                var latent = latents[i];
                for (var j = 0; j < latentSize; j++)
                {
                    latent[j] = (float)(encoded[(i * latentSize) + j] * model.ScalingFactor);
                }

                noise[i].Fill(draw);
                schedulers[i].AddNoise(latent, draw, start);
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                noise[i].Fill(latents[i]);
                var sigma = (float)schedulers[i].InitNoiseSigma;
                var latent = latents[i];
                for (var j = 0; j < latent.Length; j++)
                {
                    latent[j] *= sigma;
                }
            }
        }

        return new DenoisingJob(latents, schedulers, noise, conditional, unconditional, hidden, request.GuidanceScale, latentHeight, latentWidth, start, progress, arrived);
    }

    /// <summary>Decodes the job's latents with the VAE and encodes each image as PNG.</summary>
    public IReadOnlyList<GeneratedImage> Decode(DiffusionModel model, DenoisingJob job, CancellationToken cancellationToken)
    {
        var count = job.Latents.Length;
        var latentSize = job.Latents[0].Length;
        var scaled = new float[count * latentSize];
        var inverse = 1 / model.ScalingFactor;
        for (var i = 0; i < count; i++)
        {
            var latent = job.Latents[i];
            for (var j = 0; j < latentSize; j++)
            {
                scaled[(i * latentSize) + j] = (float)(latent[j] * inverse);
            }
        }

        var decoded = model.Decode(scaled, count, job.LatentHeight, job.LatentWidth, cancellationToken);
        var imageSize = 3 * Width * Height;
        var images = new GeneratedImage[count];
        for (var i = 0; i < count; i++)
        {
            var rgb = Pixels.FromModel(decoded.AsSpan(i * imageSize, imageSize), Width, Height);
            images[i] = new GeneratedImage(Width, Height, unchecked(Seed + i), rgb, ImageCodec.EncodePng(rgb, Width, Height));
        }

        return images;
    }

    private static void CheckSize(int size, string name)
    {
        if (size <= 0 || size % 8 != 0)
        {
            throw new ArgumentException($"{name} is {size}; it must be a positive multiple of 8 (the VAE downsamples by 8).", "request");
        }
    }
}
