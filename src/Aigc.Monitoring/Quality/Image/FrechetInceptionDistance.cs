using Microsoft.Extensions.AI;

namespace Aigc.Monitoring;

/// <summary>
/// FID-style evaluation of generated images: features from any image embedding generator (an Inception-v3 pool3
/// ONNX model by convention; Aigc.Inference's <c>OnnxImageEmbeddingGenerator</c> serves one), then the
/// <see cref="FrechetDistance"/> between the real and the generated set.
/// </summary>
/// <param name="featureExtractor">Turns an image (<see cref="DataContent"/> with an image media type) into its feature vector.</param>
public sealed class FrechetInceptionDistance(IEmbeddingGenerator<DataContent, Embedding<float>> featureExtractor)
{
    private readonly IEmbeddingGenerator<DataContent, Embedding<float>> _extractor = featureExtractor ?? throw new ArgumentNullException(nameof(featureExtractor));

    /// <summary>Extracts the features of a set of images and returns their statistics (keep a reference set's to reuse it).</summary>
    /// <param name="images">At least two images.</param>
    /// <param name="cancellationToken">Cancels the extraction.</param>
    /// <returns>The mean and unbiased covariance of the features.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two images, or the extractor returned vectors of different lengths or a count that does not match.</exception>
    public async Task<FeatureStatistics> ComputeStatisticsAsync(IEnumerable<DataContent> images, CancellationToken cancellationToken = default) =>
        FeatureStatistics.FromFeatures(await ExtractAsync(images, cancellationToken).ConfigureAwait(false));

    /// <summary>Computes the squared Fréchet distance between the features of real and generated images.</summary>
    /// <param name="real">The reference images (at least two).</param>
    /// <param name="generated">The generated images (at least two).</param>
    /// <param name="cancellationToken">Cancels the extraction.</param>
    /// <returns>d², ≥ 0; lower is better.</returns>
    /// <exception cref="ArgumentNullException">A set is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A set has fewer than two images.</exception>
    public async Task<double> ComputeAsync(IEnumerable<DataContent> real, IEnumerable<DataContent> generated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        var first = await ExtractAsync(real, cancellationToken).ConfigureAwait(false);
        var second = await ExtractAsync(generated, cancellationToken).ConfigureAwait(false);
        return FrechetDistance.Compute(first, second);
    }

    private async Task<ReadOnlyMemory<float>[]> ExtractAsync(IEnumerable<DataContent> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var list = images as IList<DataContent> ?? images.ToList();
        var embeddings = await _extractor.GenerateAsync(list, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != list.Count)
        {
            throw new ArgumentException($"The feature extractor returned {embeddings.Count} vectors for {list.Count} images.", nameof(images));
        }

        var features = new ReadOnlyMemory<float>[embeddings.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = embeddings[i].Vector;
        }

        return features;
    }
}
