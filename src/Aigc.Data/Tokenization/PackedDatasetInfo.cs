using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// The sidecar JSON of a <c>.tokens</c> file (<c>&lt;file&gt;.json</c>): which tokenizer and template produced it,
/// the packing settings, the fingerprint and the run's statistics, so a trainer can check and reuse it without
/// tokenizing again and serve with the same template.
/// </summary>
public sealed record PackedDatasetInfo
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "aigc.tokens";

    /// <summary>Gets the format name.</summary>
    /// <value>The default value is <c>aigc.tokens</c>.</value>
    public string Format { get; init; } = FormatName;

    /// <summary>Gets the version of the binary layout.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int FormatVersion { get; init; } = PackedDatasetFormat.Version;

    /// <summary>Gets the tokenizer's name (for example <c>gpt2</c>).</summary>
    /// <value>The default value is empty.</value>
    public string Tokenizer { get; init; } = string.Empty;

    /// <summary>Gets the vocabulary size (0 when unknown); every id in the file is below it.</summary>
    public int VocabularySize { get; init; }

    /// <summary>Gets the end-of-text token id appended to examples, if any.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>Gets the pad token id.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Gets the label of masked tokens.</summary>
    /// <value>The default value is <c>-100</c>.</value>
    public int IgnoreIndex { get; init; } = RecordTokenizer.IgnoreIndex;

    /// <summary>Gets the length of every sequence.</summary>
    public int SequenceLength { get; init; }

    /// <summary>Gets the number of sequences.</summary>
    public long SequenceCount { get; init; }

    /// <summary>Gets whether position ids restart at each segment.</summary>
    public bool ResetPositionIds { get; init; }

    /// <summary>Gets the fingerprint of the packed dataset (source fingerprint chained with tokenizer and packer parameters), if known.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Gets the fingerprint of the records that were tokenized, if known.</summary>
    public string? SourceFingerprint { get; init; }

    /// <summary>Gets the template's parameters (<see cref="ChatTemplate.FromParameters"/> rebuilds it).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Template { get; init; } = StepParameters.None;

    /// <summary>Gets the tokenizer's parameters (<see cref="RecordTokenizer.Parameters"/>).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Tokenization { get; init; } = StepParameters.None;

    /// <summary>Gets the packer's parameters (<see cref="SequencePacker.Parameters"/>).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Packing { get; init; } = StepParameters.None;

    /// <summary>Gets the statistics of the run that wrote the file, if known.</summary>
    public PackingStatistics? Statistics { get; init; }

    /// <summary>Returns the sidecar path of a <c>.tokens</c> file: the file path with <c>.json</c> appended.</summary>
    /// <param name="tokensPath">The <c>.tokens</c> file.</param>
    /// <returns>The sidecar path.</returns>
    /// <exception cref="ArgumentException"><paramref name="tokensPath"/> is null or empty.</exception>
    public static string GetSidecarPath(string tokensPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokensPath);
        return tokensPath + ".json";
    }

    /// <summary>Rebuilds the chat template the file was tokenized with.</summary>
    /// <returns>The template.</returns>
    /// <exception cref="InvalidOperationException">The sidecar holds no template.</exception>
    public ChatTemplate GetTemplate()
    {
        if (Template.Count == 0)
        {
            throw new InvalidOperationException("This packed dataset's sidecar holds no chat template.");
        }

        return ChatTemplate.FromParameters(Template);
    }

    /// <summary>Writes the sidecar JSON.</summary>
    /// <param name="path">The sidecar file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = DataRecordJson.WriterOptions.Encoder }))
            {
                Write(writer);
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a sidecar JSON.</summary>
    /// <param name="path">The sidecar file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The information.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DataFileException">The file is missing, unreadable or not a sidecar of this format.</exception>
    public static async Task<PackedDatasetInfo> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                return Parse(document.RootElement);
            }
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, "is not valid JSON: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or KeyNotFoundException && e is not DataFileException)
        {
            throw new DataFileException(path, "is not a readable packed dataset sidecar: " + e.Message, e);
        }
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("formatVersion", FormatVersion);
        writer.WriteString("tokenizer", Tokenizer);
        writer.WriteNumber("vocabularySize", VocabularySize);
        if (EosTokenId is { } eos)
        {
            writer.WriteNumber("eosTokenId", eos);
        }

        writer.WriteNumber("padTokenId", PadTokenId);
        writer.WriteNumber("ignoreIndex", IgnoreIndex);
        writer.WriteNumber("sequenceLength", SequenceLength);
        writer.WriteNumber("sequenceCount", SequenceCount);
        writer.WriteBoolean("resetPositionIds", ResetPositionIds);
        if (Fingerprint is not null)
        {
            writer.WriteString("fingerprint", Fingerprint);
        }

        if (SourceFingerprint is not null)
        {
            writer.WriteString("sourceFingerprint", SourceFingerprint);
        }

        WriteMap(writer, "template", Template);
        WriteMap(writer, "tokenization", Tokenization);
        WriteMap(writer, "packing", Packing);
        if (Statistics is { } s)
        {
            writer.WriteStartObject("statistics");
            writer.WriteNumber("records", s.Records);
            writer.WriteNumber("recordsRejected", s.RecordsRejected);
            writer.WriteNumber("examplesTruncated", s.ExamplesTruncated);
            writer.WriteNumber("examples", s.Examples);
            writer.WriteNumber("exampleTokens", s.ExampleTokens);
            writer.WriteNumber("examplesSplit", s.ExamplesSplit);
            writer.WriteNumber("examplesDropped", s.ExamplesDropped);
            writer.WriteNumber("tokensDropped", s.TokensDropped);
            writer.WriteNumber("sequences", s.Sequences);
            writer.WriteNumber("tokens", s.Tokens);
            writer.WriteNumber("padTokens", s.PadTokens);
            writer.WriteNumber("trainedTokens", s.TrainedTokens);
            writer.WriteNumber("efficiency", s.Efficiency);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static PackedDatasetInfo Parse(JsonElement root)
    {
        var format = root.GetProperty("format").GetString();
        if (format != FormatName)
        {
            throw new FormatException($"format is \"{format}\", not \"{FormatName}\"");
        }

        PackingStatistics? statistics = null;
        if (root.TryGetProperty("statistics", out var s))
        {
            statistics = new PackingStatistics();
            statistics.Restore(
                s.GetProperty("records").GetInt64(),
                s.GetProperty("recordsRejected").GetInt64(),
                s.GetProperty("examplesTruncated").GetInt64(),
                s.GetProperty("examples").GetInt64(),
                s.GetProperty("exampleTokens").GetInt64(),
                s.GetProperty("examplesSplit").GetInt64(),
                s.GetProperty("examplesDropped").GetInt64(),
                s.GetProperty("tokensDropped").GetInt64(),
                s.GetProperty("sequences").GetInt64(),
                s.GetProperty("tokens").GetInt64(),
                s.GetProperty("padTokens").GetInt64(),
                s.GetProperty("trainedTokens").GetInt64());
        }

        return new PackedDatasetInfo
        {
            Format = format,
            FormatVersion = root.GetProperty("formatVersion").GetInt32(),
            Tokenizer = root.GetProperty("tokenizer").GetString() ?? string.Empty,
            VocabularySize = root.GetProperty("vocabularySize").GetInt32(),
            EosTokenId = root.TryGetProperty("eosTokenId", out var eos) ? eos.GetInt32() : null,
            PadTokenId = root.GetProperty("padTokenId").GetInt32(),
            IgnoreIndex = root.GetProperty("ignoreIndex").GetInt32(),
            SequenceLength = root.GetProperty("sequenceLength").GetInt32(),
            SequenceCount = root.GetProperty("sequenceCount").GetInt64(),
            ResetPositionIds = root.GetProperty("resetPositionIds").GetBoolean(),
            Fingerprint = root.TryGetProperty("fingerprint", out var fingerprint) ? fingerprint.GetString() : null,
            SourceFingerprint = root.TryGetProperty("sourceFingerprint", out var source) ? source.GetString() : null,
            Template = ReadMap(root, "template"),
            Tokenization = ReadMap(root, "tokenization"),
            Packing = ReadMap(root, "packing"),
            Statistics = statistics,
        };
    }

    private static StepParameters ReadMap(JsonElement root, string name)
    {
        var map = new StepParameters();
        if (root.TryGetProperty(name, out var element))
        {
            foreach (var property in element.EnumerateObject())
            {
                map.Add(property.Name, property.Value.GetString());
            }
        }

        return map;
    }
}
