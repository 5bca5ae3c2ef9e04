using System.Text.RegularExpressions;

namespace Aigc.Data;

/// <summary>
/// The C4 quality rules (id <c>filter.c4</c>), as datatrove's <c>C4QualityFilter</c> applies them with its default
/// settings (see <see cref="C4QualityOptions"/>). Line rules rewrite the text; document rules reject the record.
/// </summary>
/// <remarks>
/// <para>
/// Each selected field is split into lines (Python <c>splitlines</c>); each line is trimmed and, in datatrove's order:
/// removed when a white-space-separated word is longer than <see cref="C4QualityOptions.MaxWordLength"/>; cleaned of
/// citation marks; removed when it does not end in terminal punctuation or ends in <c>...</c>; removed when it has
/// fewer than <see cref="C4QualityOptions.MinWordsPerLine"/> words (counted before citation removal); the record is
/// rejected (<c>lorem_ipsum</c>) when it contains "lorem ipsum"; removed when it contains "javascript"; the record is
/// rejected (<c>curly_bracket</c>) when it contains <c>{</c>; removed when it contains a policy phrase. Otherwise the
/// line is kept and its sentences are counted. A document rule only sees lines that survived the line rules before it,
/// as in datatrove.
/// </para>
/// <para>
/// A record is one document: the sentences of all selected fields are added up, and a record with fewer than
/// <see cref="C4QualityOptions.MinSentences"/> is rejected (<c>too_few_sentences: 3 sentences &lt; 5</c>). A kept
/// record's fields are rewritten to their kept lines joined with <c>\n</c> (a field may become empty: follow with
/// <see cref="EmptyFieldStep"/> when that matters). Counter <c>c4.lines_removed</c> counts the lines removed from kept
/// records, and <c>c4.lines_removed.&lt;rule&gt;</c> (<c>too_long_word</c>, <c>no_terminal_punct</c>,
/// <c>too_few_words</c>, <c>javascript</c>, <c>policy</c>) by rule; <c>c4.&lt;rule&gt;</c> counts rejections.
/// Sentences are counted with a splitter that approximates NLTK's Punkt: a sentence ends at <c>. ! ? …</c> followed by
/// white space and a character that is not lowercase, except after common abbreviations and initials. Fields are only
/// rewritten once the record is kept, so rejects hold the record as it arrived.
/// </para>
/// </remarks>
public sealed partial class C4QualityFilter : RecordStep
{
    private const int TooLongWord = 0;
    private const int NoTerminalPunctuation = 1;
    private const int TooFewWords = 2;
    private const int Javascript = 3;
    private const int Policy = 4;

    private static readonly string[] RemovalCounters =
    [
        "c4.lines_removed.too_long_word", "c4.lines_removed.no_terminal_punct", "c4.lines_removed.too_few_words",
        "c4.lines_removed.javascript", "c4.lines_removed.policy",
    ];

    private static readonly string[] PolicyPhrases = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

    [ThreadStatic]
    private static C4QualityScratch? t_scratch;

    private readonly FieldSelector _fields;
    private readonly bool _splitParagraph;
    private readonly bool _removeCitations;
    private readonly bool _filterNoTerminalPunctuation;
    private readonly int? _minSentences;
    private readonly int? _minWordsPerLine;
    private readonly int? _maxWordLength;
    private readonly bool _filterLoremIpsum;
    private readonly bool _filterJavascript;
    private readonly bool _filterCurlyBracket;
    private readonly bool _filterPolicy;

    /// <summary>Initializes the filter with datatrove's default settings.</summary>
    public C4QualityFilter()
        : this(new C4QualityOptions())
    {
    }

    /// <summary>Initializes the filter.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A number is negative, or a field name is empty.</exception>
    public C4QualityFilter(C4QualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MinSentences is < 0)
        {
            errors.Add($"MinSentences is {options.MinSentences}; it must be 0 or more, or null to turn the rule off.");
        }

        if (options.MinWordsPerLine is < 0)
        {
            errors.Add($"MinWordsPerLine is {options.MinWordsPerLine}; it must be 0 or more, or null to turn the rule off.");
        }

        if (options.MaxWordLength is < 1)
        {
            errors.Add($"MaxWordLength is {options.MaxWordLength}; it must be 1 or more, or null to turn the rule off.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid C4QualityOptions: " + string.Join(" ", errors), nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _splitParagraph = options.SplitParagraph;
        _removeCitations = options.RemoveCitations;
        _filterNoTerminalPunctuation = options.FilterNoTerminalPunctuation;
        _minSentences = options.MinSentences;
        _minWordsPerLine = options.MinWordsPerLine;
        _maxWordLength = options.MaxWordLength;
        _filterLoremIpsum = options.FilterLoremIpsum;
        _filterJavascript = options.FilterJavascript;
        _filterCurlyBracket = options.FilterCurlyBracket;
        _filterPolicy = options.FilterPolicy;
        Parameters = new StepParameters()
            .Add("fields", _fields.ToParameter())
            .Add("split_paragraph", _splitParagraph)
            .Add("remove_citations", _removeCitations)
            .Add("filter_no_terminal_punct", _filterNoTerminalPunctuation)
            .Add("min_num_sentences", FilterFormat.Threshold(_minSentences))
            .Add("min_words_per_line", FilterFormat.Threshold(_minWordsPerLine))
            .Add("max_word_length", FilterFormat.Threshold(_maxWordLength))
            .Add("filter_lorem_ipsum", _filterLoremIpsum)
            .Add("filter_javascript", _filterJavascript)
            .Add("filter_curly_bracket", _filterCurlyBracket)
            .Add("filter_policy", _filterPolicy);
    }

    /// <inheritdoc />
    public override string Id => "filter.c4";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var scratch = t_scratch ??= new C4QualityScratch();
        scratch.Reset();
        var sentences = 0;
        for (var f = 0; f < record.Fields.Count; f++)
        {
            var field = record.Fields[f];
            if (!_fields.Includes(field.Name))
            {
                continue;
            }

            var (rewritten, rule) = FilterField(field.Value, scratch, ref sentences);
            if (rule is not null)
            {
                scratch.Reset();
                context.Increment("c4." + rule);
                return StepDecision.Reject(rule == "lorem_ipsum"
                    ? $"lorem_ipsum: field '{field.Name}' contains \"lorem ipsum\""
                    : $"curly_bracket: field '{field.Name}' contains '{{'");
            }

            scratch.Rewritten.Add((f, rewritten!));
        }

        if (_minSentences is { } minSentences && sentences < minSentences)
        {
            scratch.Reset();
            context.Increment("c4.too_few_sentences");
            return StepDecision.Reject($"too_few_sentences: {sentences} sentences < {minSentences}");
        }

        foreach (var (index, value) in scratch.Rewritten)
        {
            var field = record.Fields[index];
            if (!string.Equals(field.Value, value, StringComparison.Ordinal))
            {
                field.Value = value;
            }
        }

        var removed = 0;
        for (var rule = 0; rule < scratch.Removed.Length; rule++)
        {
            if (scratch.Removed[rule] > 0)
            {
                removed += scratch.Removed[rule];
                context.Increment(RemovalCounters[rule], scratch.Removed[rule]);
            }
        }

        if (removed > 0)
        {
            context.Increment("c4.lines_removed", removed);
        }

        scratch.Reset();
        return StepDecision.Keep;
    }

    private (string? Text, string? Rule) FilterField(string text, C4QualityScratch scratch, ref int sentences)
    {
        var units = scratch.Units;
        units.Clear();
        if (_splitParagraph)
        {
            LineSplitter.SplitLines(text, units);
        }
        else
        {
            SentenceSplitter.Split(text, units);
        }

        var builder = scratch.Builder;
        builder.Clear();
        var kept = 0;
        foreach (var unit in units)
        {
            var trimmed = LineSplitter.Trim(text, unit);
            ReadOnlySpan<char> line = trimmed.Of(text);
            var removal = -1;
            var words = CountWords(line, out var longestWord);
            if (_maxWordLength is { } maxWordLength && longestWord > maxWordLength)
            {
                removal = TooLongWord;
            }
            else
            {
                if (_removeCitations && line.IndexOf('[') >= 0 && CitationRegex().IsMatch(line))
                {
                    line = CitationRegex().Replace(line.ToString(), string.Empty);
                }

                if (_filterNoTerminalPunctuation && (line.IsEmpty || line[^1] is not ('.' or '?' or '!' or '"' or '\'') || line.EndsWith("...", StringComparison.Ordinal)))
                {
                    removal = NoTerminalPunctuation;
                }
                else if (_minWordsPerLine is { } minWords && words < minWords)
                {
                    removal = TooFewWords;
                }
                else if (_filterLoremIpsum && line.Contains("lorem ipsum", StringComparison.OrdinalIgnoreCase))
                {
                    return (null, "lorem_ipsum");
                }
                else if (_filterJavascript && line.Contains("javascript", StringComparison.OrdinalIgnoreCase))
                {
                    removal = Javascript;
                }
                else if (_filterCurlyBracket && line.Contains('{'))
                {
                    return (null, "curly_bracket");
                }
                else if (_filterPolicy && ContainsPolicyPhrase(line))
                {
                    removal = Policy;
                }
            }

            if (removal >= 0)
            {
                scratch.Removed[removal]++;
                continue;
            }

            sentences += _splitParagraph ? SentenceSplitter.Count(line) : 1;
            if (kept > 0)
            {
                builder.Append(_splitParagraph ? '\n' : ' ');
            }

            builder.Append(line);
            kept++;
        }

        return (builder.Equals(text.AsSpan()) ? text : builder.ToString().Trim(), null);
    }

    private static int CountWords(ReadOnlySpan<char> line, out int longest)
    {
        var words = 0;
        longest = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                words++;
                longest = Math.Max(longest, FilterFormat.CodePoints(line[start..i]));
            }
        }

        return words;
    }

    private static bool ContainsPolicyPhrase(ReadOnlySpan<char> line)
    {
        foreach (var phrase in PolicyPhrases)
        {
            if (line.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"\[\d*\]|\[edit\]|\[citation needed\]", RegexOptions.CultureInvariant)]
    private static partial Regex CitationRegex();
}
