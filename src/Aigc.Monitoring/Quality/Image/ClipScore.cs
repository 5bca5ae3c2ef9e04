using Microsoft.Extensions.AI;

namespace Aigc.Monitoring;

/// <summary>
/// CLIP score of captioned images, as torchmetrics' <c>CLIPScore</c> computes it: for each pair,
/// max(100 · cos(E_image, E_text), 0) with the embeddings of a CLIP image and text encoder the caller supplies (for
/// example two ONNX models behind <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>); the score of a set is the
/// mean over its pairs. Higher means the images follow their prompts more closely; values depend on the CLIP model,
/// so compare scores from the same one (around 30 is typical for ViT-B/32 on matching pairs).
/// </summary>
/// <param name="textEncoder">Embeds the prompts.</param>
/// <param name="imageEncoder">Embeds the images, in the same space.</param>
public sealed class ClipScore(IEmbeddingGenerator<string, Embedding<float>> textEncoder, IEmbeddingGenerator<DataContent, Embedding<float>> imageEncoder)
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _text = textEncoder ?? throw new ArgumentNullException(nameof(textEncoder));
    private readonly IEmbeddingGenerator<DataContent, Embedding<float>> _image = imageEncoder ?? throw new ArgumentNullException(nameof(imageEncoder));

    /// <summary>Scores one pair of embeddings: max(100 · cos(image, text), 0).</summary>
    /// <param name="text">The text embedding.</param>
    /// <param name="image">The image embedding, of the same length.</param>
    /// <returns>The score, in [0, 100].</returns>
    /// <exception cref="ArgumentException">The lengths differ, or an embedding is empty or all zeros.</exception>
    public static double FromEmbeddings(ReadOnlySpan<float> text, ReadOnlySpan<float> image)
    {
        if (text.Length != image.Length || text.IsEmpty)
        {
            throw new ArgumentException($"The text embedding has {text.Length} values and the image embedding {image.Length}; they must be equal and non-zero (the same CLIP model).", nameof(image));
        }

        double dot = 0, textNorm = 0, imageNorm = 0;
        for (var i = 0; i < text.Length; i++)
        {
            dot += (double)text[i] * image[i];
            textNorm += (double)text[i] * text[i];
            imageNorm += (double)image[i] * image[i];
        }

        if (textNorm == 0 || imageNorm == 0)
        {
            throw new ArgumentException("An embedding is all zeros, so it has no direction to compare.", textNorm == 0 ? nameof(text) : nameof(image));
        }

        return Math.Max(100 * dot / Math.Sqrt(textNorm * imageNorm), 0);
    }

    /// <summary>Scores images against their prompts.</summary>
    /// <param name="pairs">Each prompt with the image made from it.</param>
    /// <param name="cancellationToken">Cancels the encoding.</param>
    /// <returns>The mean score and each pair's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pairs"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no pairs, or an encoder returned the wrong number of embeddings.</exception>
    public async Task<ClipScoreResult> ScoreAsync(IEnumerable<(string Prompt, DataContent Image)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs as IList<(string Prompt, DataContent Image)> ?? pairs.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("CLIP score needs at least one prompt and image.", nameof(pairs));
        }

        var prompts = new string[list.Count];
        var images = new DataContent[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            prompts[i] = list[i].Prompt ?? throw new ArgumentException($"Pair {i} has no prompt.", nameof(pairs));
            images[i] = list[i].Image ?? throw new ArgumentException($"Pair {i} has no image.", nameof(pairs));
        }

        var textEmbeddings = await _text.GenerateAsync(prompts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var imageEmbeddings = await _image.GenerateAsync(images, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (textEmbeddings.Count != list.Count || imageEmbeddings.Count != list.Count)
        {
            throw new ArgumentException($"The encoders returned {textEmbeddings.Count} text and {imageEmbeddings.Count} image embeddings for {list.Count} pairs.", nameof(pairs));
        }

        var scores = new double[list.Count];
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = FromEmbeddings(textEmbeddings[i].Vector.Span, imageEmbeddings[i].Vector.Span);
            sum += scores[i];
        }

        return new ClipScoreResult(sum / scores.Length, scores);
    }
}
