using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Aigc.Inference;

/// <summary>
/// The CLIP BPE tokenizer of a diffusers <c>tokenizer/</c> folder (<c>vocab.json</c>, <c>merges.txt</c>, optional
/// <c>tokenizer_config.json</c>) on Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>: lower-cased text split by
/// CLIP's pattern, BPE with the <c>&lt;/w&gt;</c> end-of-word suffix, then <c>&lt;|startoftext|&gt;</c> … <c>&lt;|endoftext|&gt;</c>
/// truncated and padded to the model's length with the pad token (<c>&lt;|endoftext|&gt;</c> unless the config names another).
/// </summary>
internal sealed partial class ClipTokenizer
{
    private const string StartOfText = "<|startoftext|>";
    private const string EndOfText = "<|endoftext|>";

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int start, int end, int pad, int maxLength)
    {
        _bpe = bpe;
        StartId = start;
        EndId = end;
        PadId = pad;
        MaxLength = maxLength;
    }

    public int StartId { get; }

    public int EndId { get; }

    public int PadId { get; }

    /// <summary>Gets the sequence length the text encoder takes (<c>model_max_length</c>, 77 for CLIP).</summary>
    public int MaxLength { get; }

    /// <summary>Loads the tokenizer of a folder.</summary>
    /// <exception cref="FileNotFoundException"><c>vocab.json</c> or <c>merges.txt</c> is missing.</exception>
    /// <exception cref="InvalidDataException">The vocabulary lacks CLIP's special tokens, or the config is not valid JSON.</exception>
    public static ClipTokenizer Load(string directory, int? maxLength)
    {
        var vocabPath = Path.Combine(directory, "vocab.json");
        var mergesPath = Path.Combine(directory, "merges.txt");
        foreach (var path in new[] { vocabPath, mergesPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The CLIP tokenizer file '{path}' does not exist; a Stable Diffusion folder has tokenizer/vocab.json and tokenizer/merges.txt.", path);
            }
        }

        string? padToken = null;
        int? configLength = null;
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            (padToken, configLength) = ReadConfig(configPath);
        }

        var options = new BpeOptions(vocabPath, mergesPath)
        {
            Normalizer = LowerCaseNormalizer.Instance,
            EndOfWordSuffix = "</w>",
        };
        var vocabulary = options.Vocabulary!.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (!vocabulary.TryGetValue(StartOfText, out var start) || !vocabulary.TryGetValue(EndOfText, out var end))
        {
            throw new InvalidDataException($"{vocabPath} has no {StartOfText} or {EndOfText}: it is not a CLIP vocabulary.");
        }

        var specials = new Dictionary<string, int>(StringComparer.Ordinal) { [StartOfText] = start, [EndOfText] = end };
        options.SpecialTokens = specials;
        options.PreTokenizer = new RegexPreTokenizer(ClipPattern(), specials);
        var pad = end;
        if (padToken is not null && !vocabulary.TryGetValue(padToken, out pad))
        {
            throw new InvalidDataException($"{configPath} names pad token '{padToken}', which is not in the vocabulary.");
        }

        return new ClipTokenizer(BpeTokenizer.Create(options), start, end, pad, maxLength ?? configLength ?? 77);
    }

    /// <summary>Tokenizes a prompt into exactly <see cref="MaxLength"/> ids: start, BPE tokens (truncated), end, padding.</summary>
    public int[] Encode(string text)
    {
        var ids = new int[MaxLength];
        ids.AsSpan().Fill(PadId);
        ids[0] = StartId;
        var clean = WhiteSpace().Replace(text, " ").Trim();
        var tokens = _bpe.EncodeToIds(clean);
        var count = Math.Min(tokens.Count, MaxLength - 2);
        for (var i = 0; i < count; i++)
        {
            ids[i + 1] = tokens[i];
        }

        ids[count + 1] = EndId;
        return ids;
    }

    private static (string? Pad, int? MaxLength) ReadConfig(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            string? pad = null;
            if (root.TryGetProperty("pad_token", out var padElement))
            {
                pad = padElement.ValueKind switch
                {
                    JsonValueKind.String => padElement.GetString(),
                    JsonValueKind.Object when padElement.TryGetProperty("content", out var content) => content.GetString(),
                    _ => null,
                };
            }

            int? length = root.TryGetProperty("model_max_length", out var lengthElement) && lengthElement.TryGetInt32(out var value) && value is > 2 and < 100_000
                ? value
                : null;
            return (pad, length);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {exception.Message}", exception);
        }
    }

    // CLIP's pre-tokenization pattern (openai/CLIP simple_tokenizer.py), case-insensitive.
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClipPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
