namespace Aigc.Data;

/// <summary>
/// The Gopher quality rules (id <c>filter.gopher-quality</c>), exactly as datatrove's <c>GopherQualityFilter</c>
/// applies them, with its default thresholds (see <see cref="GopherQualityOptions"/>). A rejected record's reason
/// names the rule and gives the measured value against the threshold, for example
/// <c>gopher_short_doc: 12 words &lt; 50</c>; counter <c>gopher_quality.&lt;rule&gt;</c> counts rejections per rule.
/// </summary>
/// <remarks>
/// <para>
/// The rules run in datatrove's order on the record text (or the selected fields joined with a newline), and the
/// first that fails rejects: words (tokens with a character that is not punctuation, a symbol or a control character)
/// between <see cref="GopherQualityOptions.MinDocWords"/> and <see cref="GopherQualityOptions.MaxDocWords"/>; their
/// mean length within the bounds; <c>#</c> count and ellipsis count (<c>...</c> plus <c>…</c>) each divided by the
/// token count at most <see cref="GopherQualityOptions.MaxSymbolWordRatio"/>; lines (Python <c>splitlines</c>)
/// starting with <c>•</c> or <c>-</c>, and lines ending with an ellipsis, at most their fractions; tokens containing a
/// letter at least <see cref="GopherQualityOptions.MinAlphabeticWordRatio"/> of all tokens; at least
/// <see cref="GopherQualityOptions.MinStopWords"/> stop-word tokens.
/// </para>
/// <para>
/// Tokens come from a Penn-Treebank-style tokenizer that follows NLTK's <c>word_tokenize</c>, which datatrove uses
/// for English (see the differences on the tokenizer: quotes are not rewritten and every word-final period is split).
/// Each CJK character is one token, so for Chinese or Japanese text the mean-word-length rule fails: Gopher rules are
/// for English; select them per language. An empty text is judged by the first rule that applies (with the
/// defaults, <c>gopher_short_doc</c>); ratios over zero tokens or lines are skipped instead of dividing by zero.
/// </para>
/// </remarks>
public sealed class GopherQualityFilter : RecordStep
{
    [ThreadStatic]
    private static List<TextSegment>? t_segments;

    private readonly FieldSelector _fields;
    private readonly int? _minDocWords;
    private readonly int? _maxDocWords;
    private readonly double? _minAvgWordLength;
    private readonly double? _maxAvgWordLength;
    private readonly double? _maxSymbolWordRatio;
    private readonly double? _maxBulletLinesRatio;
    private readonly double? _maxEllipsisLinesRatio;
    private readonly double? _minAlphabeticWordRatio;
    private readonly int? _minStopWords;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopWords;

    /// <summary>Initializes the filter with datatrove's default thresholds.</summary>
    public GopherQualityFilter()
        : this(new GopherQualityOptions())
    {
    }

    /// <summary>Initializes the filter.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A threshold is negative, or a field name or stop word is empty.</exception>
    public GopherQualityFilter(GopherQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Check(errors, nameof(options.MinDocWords), options.MinDocWords);
        Check(errors, nameof(options.MaxDocWords), options.MaxDocWords);
        Check(errors, nameof(options.MinAvgWordLength), options.MinAvgWordLength);
        Check(errors, nameof(options.MaxAvgWordLength), options.MaxAvgWordLength);
        Check(errors, nameof(options.MaxSymbolWordRatio), options.MaxSymbolWordRatio);
        Check(errors, nameof(options.MaxBulletLinesRatio), options.MaxBulletLinesRatio);
        Check(errors, nameof(options.MaxEllipsisLinesRatio), options.MaxEllipsisLinesRatio);
        Check(errors, nameof(options.MinAlphabeticWordRatio), options.MinAlphabeticWordRatio);
        Check(errors, nameof(options.MinStopWords), options.MinStopWords);
        var stopWords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in options.StopWords)
        {
            if (string.IsNullOrEmpty(word))
            {
                errors.Add("StopWords contains an empty word.");
            }
            else
            {
                stopWords.Add(word);
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid GopherQualityOptions: " + string.Join(" ", errors), nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _minDocWords = options.MinDocWords;
        _maxDocWords = options.MaxDocWords;
        _minAvgWordLength = options.MinAvgWordLength;
        _maxAvgWordLength = options.MaxAvgWordLength;
        _maxSymbolWordRatio = options.MaxSymbolWordRatio;
        _maxBulletLinesRatio = options.MaxBulletLinesRatio;
        _maxEllipsisLinesRatio = options.MaxEllipsisLinesRatio;
        _minAlphabeticWordRatio = options.MinAlphabeticWordRatio;
        _minStopWords = options.MinStopWords;
        _stopWords = stopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var sortedStopWords = new List<string>(stopWords);
        sortedStopWords.Sort(StringComparer.Ordinal);
        Parameters = new StepParameters()
            .Add("fields", _fields.ToParameter())
            .Add("min_doc_words", FilterFormat.Threshold(_minDocWords))
            .Add("max_doc_words", FilterFormat.Threshold(_maxDocWords))
            .Add("min_avg_word_length", FilterFormat.Threshold(_minAvgWordLength))
            .Add("max_avg_word_length", FilterFormat.Threshold(_maxAvgWordLength))
            .Add("max_symbol_word_ratio", FilterFormat.Threshold(_maxSymbolWordRatio))
            .Add("max_bullet_lines_ratio", FilterFormat.Threshold(_maxBulletLinesRatio))
            .Add("max_ellipsis_lines_ratio", FilterFormat.Threshold(_maxEllipsisLinesRatio))
            .Add("min_alphabetic_word_ratio", FilterFormat.Threshold(_minAlphabeticWordRatio))
            .Add("min_stop_words", FilterFormat.Threshold(_minStopWords))
            .Add("stop_words", sortedStopWords);
    }

    /// <inheritdoc />
    public override string Id => "filter.gopher-quality";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Judges one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The rejection reason (rule, measured value and threshold), or <see langword="null"/> when the text passes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string? Evaluate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Evaluate(text, out _);
    }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var reason = Evaluate(_fields.GetText(record), out var rule);
        return FilterFormat.Decide(reason, rule, "gopher_quality", context);
    }

    private string? Evaluate(ReadOnlySpan<char> text, out string? rule)
    {
        var segments = t_segments ??= new List<TextSegment>(256);
        segments.Clear();
        EnglishWordTokenizer.Tokenize(text, segments);
        var tokens = segments.Count;
        var words = 0;
        long wordLength = 0;
        var alphabetic = 0;
        var stopWords = 0;
        foreach (var segment in segments)
        {
            var token = segment.Of(text);
            if (!EnglishWordTokenizer.IsSymbolToken(token))
            {
                words++;
                wordLength += FilterFormat.CodePoints(token);
            }

            if (HasLetter(token))
            {
                alphabetic++;
            }

            if (_stopWords.Contains(token))
            {
                stopWords++;
            }
        }

        if (segments.Capacity > 1 << 16)
        {
            segments.Clear();
            segments.TrimExcess();
        }

        if (_minDocWords is { } minWords && words < minWords)
        {
            return Fail(out rule, "gopher_short_doc", $"{words} words < {minWords}");
        }

        if (_maxDocWords is { } maxWords && words > maxWords)
        {
            return Fail(out rule, "gopher_long_doc", $"{words} words > {maxWords}");
        }

        if (words > 0)
        {
            var mean = (double)wordLength / words;
            if (_minAvgWordLength is { } minMean && mean < minMean)
            {
                return Fail(out rule, "gopher_below_avg_threshold", $"mean word length {FilterFormat.Number(mean)} < {FilterFormat.Number(minMean)}");
            }

            if (_maxAvgWordLength is { } maxMean && mean > maxMean)
            {
                return Fail(out rule, "gopher_above_avg_threshold", $"mean word length {FilterFormat.Number(mean)} > {FilterFormat.Number(maxMean)}");
            }
        }

        if (tokens > 0 && _maxSymbolWordRatio is { } maxSymbols)
        {
            var hashes = (double)text.Count('#') / tokens;
            if (hashes > maxSymbols)
            {
                return Fail(out rule, "gopher_too_many_hashes", $"hash-to-word ratio {FilterFormat.Number(hashes)} > {FilterFormat.Number(maxSymbols)}");
            }

            var ellipses = (double)(FilterFormat.Occurrences(text, "...") + text.Count('…')) / tokens;
            if (ellipses > maxSymbols)
            {
                return Fail(out rule, "gopher_too_many_ellipsis", $"ellipsis-to-word ratio {FilterFormat.Number(ellipses)} > {FilterFormat.Number(maxSymbols)}");
            }
        }

        if (_maxBulletLinesRatio is not null || _maxEllipsisLinesRatio is not null)
        {
            segments.Clear();
            LineSplitter.SplitLines(text, segments);
            if (segments.Count > 0)
            {
                var bullets = 0;
                var ellipsisLines = 0;
                foreach (var segment in segments)
                {
                    var line = segment.Of(text);
                    var start = line.TrimStart();
                    if (start.StartsWith('•') || start.StartsWith('-'))
                    {
                        bullets++;
                    }

                    var end = line.TrimEnd();
                    if (end.EndsWith("...", StringComparison.Ordinal) || end.EndsWith('…'))
                    {
                        ellipsisLines++;
                    }
                }

                var lines = segments.Count;
                segments.Clear();
                var bulletRatio = (double)bullets / lines;
                if (_maxBulletLinesRatio is { } maxBullets && bulletRatio > maxBullets)
                {
                    return Fail(out rule, "gopher_too_many_bullets", $"bullet-line ratio {FilterFormat.Number(bulletRatio)} > {FilterFormat.Number(maxBullets)}");
                }

                var ellipsisRatio = (double)ellipsisLines / lines;
                if (_maxEllipsisLinesRatio is { } maxEllipsisLines && ellipsisRatio > maxEllipsisLines)
                {
                    return Fail(out rule, "gopher_too_many_end_ellipsis", $"ellipsis-line ratio {FilterFormat.Number(ellipsisRatio)} > {FilterFormat.Number(maxEllipsisLines)}");
                }
            }
        }

        if (tokens > 0 && _minAlphabeticWordRatio is { } minAlphabetic)
        {
            var ratio = (double)alphabetic / tokens;
            if (ratio < minAlphabetic)
            {
                return Fail(out rule, "gopher_below_alpha_threshold", $"alphabetic-word ratio {FilterFormat.Number(ratio)} < {FilterFormat.Number(minAlphabetic)}");
            }
        }

        if (_minStopWords is { } minStop && stopWords < minStop)
        {
            return Fail(out rule, "gopher_enough_stop_words", $"{stopWords} stop words < {minStop}");
        }

        rule = null;
        return null;
    }

    private static string Fail(out string? rule, string name, string detail)
    {
        rule = name;
        return name + ": " + detail;
    }

    private static bool HasLetter(ReadOnlySpan<char> token)
    {
        foreach (var rune in token.EnumerateRunes())
        {
            if (System.Text.Rune.IsLetter(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(List<string> errors, string name, double? value)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0))
        {
            errors.Add($"{name} is {v}; it must be 0 or more, or null to turn the rule off.");
        }
    }

    private static void Check(List<string> errors, string name, int? value)
    {
        if (value is < 0)
        {
            errors.Add($"{name} is {value}; it must be 0 or more, or null to turn the rule off.");
        }
    }
}
