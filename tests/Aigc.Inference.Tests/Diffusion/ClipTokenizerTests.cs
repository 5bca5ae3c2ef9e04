namespace Aigc.Inference.Tests.Diffusion;

public sealed class ClipTokenizerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aigc-clip-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Lower_cases_splits_like_clip_and_marks_word_ends()
    {
        TinyStableDiffusion.WriteTokenizer(_directory);
        var tokenizer = ClipTokenizer.Load(_directory, maxLength: null);
        var vocab = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(_directory, "vocab.json")))!;

        var ids = tokenizer.Encode("A  Red cat!");

        Assert.Equal(77, ids.Length);
        Assert.Equal(
            new[] { vocab["<|startoftext|>"], vocab["a</w>"], vocab["red</w>"], vocab["cat</w>"], vocab["!</w>"], vocab["<|endoftext|>"], vocab["<|endoftext|>"] },
            ids[..7]);
        Assert.All(ids[6..], id => Assert.Equal(vocab["<|endoftext|>"], id));

        // A word with no merge splits into characters, the last one carrying the suffix.
        Assert.Equal(new[] { vocab["t"], vocab["a"], vocab["g</w>"] }, tokenizer.Encode("tag")[1..4]);
        Assert.Equal(new[] { vocab["do"], vocab["t</w>"] }, tokenizer.Encode("dot")[1..3]);
    }

    [Fact]
    public void Truncates_long_prompts_and_keeps_the_end_token()
    {
        TinyStableDiffusion.WriteTokenizer(_directory);
        var tokenizer = ClipTokenizer.Load(_directory, maxLength: 8);

        var ids = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 20)));

        Assert.Equal(8, ids.Length);
        Assert.Equal(tokenizer.StartId, ids[0]);
        Assert.Equal(tokenizer.EndId, ids[^1]);
        Assert.All(ids[1..^1], id => Assert.Equal(ids[1], id));
    }

    [Fact]
    public void A_missing_merges_file_is_named()
    {
        TinyStableDiffusion.WriteTokenizer(_directory);
        File.Delete(Path.Combine(_directory, "merges.txt"));
        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.Load(_directory, null));
        Assert.Contains("merges.txt", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
