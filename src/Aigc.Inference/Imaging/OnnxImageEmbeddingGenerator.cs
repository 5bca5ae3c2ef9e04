using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>
/// Image features from an ONNX model (an Inception-v3 pool3, a ResNet pool, a CLIP image tower …) as a
/// Microsoft.Extensions.AI embedding generator, so Aigc.Monitoring's image quality metrics (FID, CLIP score) and
/// anything else that takes an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> can use it. Each image
/// (<see cref="DataContent"/> holding a PNG, JPEG … file) is decoded and resized (bilinear) with SkiaSharp,
/// normalized per <see cref="OnnxImageEmbeddingOptions"/>, and run in batches; its feature vector is the model
/// output's values for that image, flattened (<c>[1, 512, 1, 1]</c> gives 512 features).
/// </summary>
public sealed class OnnxImageEmbeddingGenerator : IEmbeddingGenerator<DataContent, Embedding<float>>
{
    private readonly ModelSession _session;
    private readonly OnnxImageEmbeddingOptions _options;
    private readonly string _input;
    private readonly string _output;
    private readonly int _width;
    private readonly int _height;
    private readonly int _batch;

    /// <summary>Loads the model.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message lists each one.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="ModelLoadException">The model does not take one float image input <c>[batch, 3, H, W]</c>, or its size is symbolic and not set in the options.</exception>
    public OnnxImageEmbeddingGenerator(OnnxImageEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        if (!File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException($"The image feature model '{options.ModelPath}' does not exist.", options.ModelPath);
        }

        _options = options;
        _session = ModelSession.Load(options.ModelPath, new ModelSessionOptions { ExecutionProvider = options.ExecutionProvider, WarmUp = false }, name: Path.GetFileNameWithoutExtension(options.ModelPath));
        try
        {
            var metadata = _session.Metadata;
            if (metadata.Inputs.Count != 1 || metadata.Inputs[0] is not { ElementType: TensorElementType.Float, Rank: 4 } input || input.Dimensions[1] is not (3 or -1))
            {
                throw new ModelLoadException($"The image feature model must take one float input [batch, 3, H, W]; it takes {string.Join(", ", metadata.Inputs)}.");
            }

            _input = input.Name;
            _output = options.OutputName ?? metadata.OutputNames[0];
            if (!metadata.TryGetOutput(_output, out _))
            {
                throw new ModelLoadException($"The image feature model has no output '{_output}' (it has {string.Join(", ", metadata.OutputNames)}).");
            }

            _height = options.Height ?? (input.Dimensions[2] > 0 ? (int)input.Dimensions[2] : throw new ModelLoadException("The model's input height is symbolic; set OnnxImageEmbeddingOptions.Height."));
            _width = options.Width ?? (input.Dimensions[3] > 0 ? (int)input.Dimensions[3] : throw new ModelLoadException("The model's input width is symbolic; set OnnxImageEmbeddingOptions.Width."));
            _batch = input.Dimensions[0] < 0 ? options.MaxBatchSize : 1;
            Metadata = new EmbeddingGeneratorMetadata("aigc-onnx", null, _session.Name);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Gets the generator's metadata (provider <c>aigc-onnx</c>, the model file's name).</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">An item is not an image SkiaSharp can decode.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var images = values.ToList();
        return await Task.Run(() => Generate(images, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private GeneratedEmbeddings<Embedding<float>> Generate(List<DataContent> images, CancellationToken cancellationToken)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>(images.Count);
        var plane = _width * _height;
        var imageSize = 3 * plane;
        for (var start = 0; start < images.Count; start += _batch)
        {
            var count = Math.Min(_batch, images.Count - start);
            var input = new float[count * imageSize];
            for (var i = 0; i < count; i++)
            {
                var item = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images));
                var rgb = ImageCodec.DecodeRgb(item.Data.Span, _width, _height);
                var offset = i * imageSize;
                for (var p = 0; p < plane; p++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        input[offset + (c * plane) + p] = ((rgb[(p * 3) + c] * _options.PixelScale) - _options.Mean[c]) / _options.Std[c];
                    }
                }
            }

            var output = _session.Run(new InferenceRequest().Add(_input, InferenceTensor.Create<float>(input, count, 3, _height, _width)), cancellationToken).GetOutput<float>(_output);
            var features = output.ElementCount / count;
            for (var i = 0; i < count; i++)
            {
                result.Add(new Embedding<float>(output.Data.Slice(i * features, features).ToArray()) { ModelId = _session.Name });
            }
        }

        return result;
    }
}
