using Microsoft.Extensions.AI;

namespace Aigc.Monitoring.Tests.Quality.Image;

public sealed class ClipScoreTests
{
    [Theory]
    [InlineData(new float[] { 1, 0 }, new float[] { 3, 0 }, 100)]
    [InlineData(new float[] { 1, 0 }, new float[] { 0, 2 }, 0)]
    [InlineData(new float[] { 1, 0 }, new float[] { -1, 0 }, 0)]
    [InlineData(new float[] { 1, 0 }, new float[] { 0.5f, 0.8660254f }, 50)]
    public void Is_one_hundred_times_the_cosine_clipped_at_zero(float[] text, float[] image, double expected)
    {
        Assert.Equal(expected, ClipScore.FromEmbeddings(text, image), 1e-5);
    }

    [Fact]
    public async Task Scores_each_pair_with_the_supplied_encoders_and_averages()
    {
        var text = new TableEncoder<string>(new() { ["a cat"] = [1, 0, 0], ["a dog"] = [0, 1, 0] });
        var catImage = new DataContent(new byte[] { 1 }, "image/png");
        var dogImage = new DataContent(new byte[] { 2 }, "image/png");
        var images = new TableEncoder<DataContent>(new() { [catImage] = [1, 1, 0], [dogImage] = [0, 1, 0] });
        var score = new ClipScore(text, images);

        var result = await score.ScoreAsync([("a cat", catImage), ("a dog", dogImage), ("a cat", dogImage)]);

        Assert.Equal([100 / Math.Sqrt(2), 100, 0], result.Scores.ToArray(), new Tolerance(1e-4));
        Assert.Equal((100 / Math.Sqrt(2) + 100) / 3, result.Score, 1e-4);
        await Assert.ThrowsAsync<ArgumentException>(() => score.ScoreAsync([]));
        Assert.Throws<ArgumentException>(() => ClipScore.FromEmbeddings([1, 0], [1, 0, 0]));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }

    /// <summary>A hand-written encoder: a fixed table from input to vector.</summary>
    private sealed class TableEncoder<T>(Dictionary<T, float[]> table) : IEmbeddingGenerator<T, Embedding<float>>
        where T : notnull
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<T> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(table[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
