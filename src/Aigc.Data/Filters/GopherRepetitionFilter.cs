using System.Runtime.InteropServices;

namespace Aigc.Data;

/// <summary>
/// The Gopher repetition rules (id <c>filter.gopher-repetition</c>), exactly as datatrove's
/// <c>GopherRepetitionFilter</c> applies them, with its default thresholds (see <see cref="GopherRepetitionOptions"/>).
/// A rejected record's reason names the rule and gives the measured fraction against the threshold, for example
/// <c>dup_line_frac: duplicate-line fraction 0.5 &gt; 0.3</c>; counter <c>gopher_repetition.&lt;rule&gt;</c> counts
/// rejections per rule.
/// </summary>
/// <remarks>
/// <para>
/// In datatrove's order, the first rule that fails rejects. Paragraphs are the trimmed text split at runs of two or more
/// <c>\n</c>, lines the text split at runs of <c>\n</c>; an element is a duplicate when an identical one came before it,
/// and the character fractions divide the duplicates' characters by the text's characters (code points). Then, on
/// word tokens (the NLTK-style tokenizer the quality filter uses): for each n in <see cref="GopherRepetitionOptions.TopNGramCharFractions"/>,
/// the characters of the most frequent n-gram (its words joined with spaces, times its count; ties go to the n-gram
/// seen first) over the text's characters; for each n in <see cref="GopherRepetitionOptions.DuplicateNGramCharFractions"/>,
/// scanning left to right, an n-gram seen before adds its characters (words joined without spaces) and the scan jumps
/// past it. N-grams are compared word by word (datatrove compares the joined strings).
/// </para>
/// <para>A text that is empty or only white space passes (datatrove would divide by zero).</para>
/// </remarks>
public sealed class GopherRepetitionFilter : RecordStep
{
    [ThreadStatic]
    private static GopherRepetitionScratch? t_scratch;

    private readonly FieldSelector _fields;
    private readonly double? _dupLineFraction;
    private readonly double? _dupParagraphFraction;
    private readonly double? _dupLineCharFraction;
    private readonly double? _dupParagraphCharFraction;
    private readonly KeyValuePair<int, double>[] _topNGrams;
    private readonly KeyValuePair<int, double>[] _duplicateNGrams;

    /// <summary>Initializes the filter with datatrove's default thresholds.</summary>
    public GopherRepetitionFilter()
        : this(new GopherRepetitionOptions())
    {
    }

    /// <summary>Initializes the filter.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A fraction is negative or not a number, an n is below 1, or a field name is empty.</exception>
    public GopherRepetitionFilter(GopherRepetitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        CheckFraction(errors, nameof(options.DuplicateLineFraction), options.DuplicateLineFraction);
        CheckFraction(errors, nameof(options.DuplicateParagraphFraction), options.DuplicateParagraphFraction);
        CheckFraction(errors, nameof(options.DuplicateLineCharFraction), options.DuplicateLineCharFraction);
        CheckFraction(errors, nameof(options.DuplicateParagraphCharFraction), options.DuplicateParagraphCharFraction);
        _topNGrams = SortedSizes(errors, nameof(options.TopNGramCharFractions), options.TopNGramCharFractions);
        _duplicateNGrams = SortedSizes(errors, nameof(options.DuplicateNGramCharFractions), options.DuplicateNGramCharFractions);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid GopherRepetitionOptions: " + string.Join(" ", errors), nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _dupLineFraction = options.DuplicateLineFraction;
        _dupParagraphFraction = options.DuplicateParagraphFraction;
        _dupLineCharFraction = options.DuplicateLineCharFraction;
        _dupParagraphCharFraction = options.DuplicateParagraphCharFraction;
        Parameters = new StepParameters()
            .Add("fields", _fields.ToParameter())
            .Add("dup_line_frac", FilterFormat.Threshold(_dupLineFraction))
            .Add("dup_para_frac", FilterFormat.Threshold(_dupParagraphFraction))
            .Add("dup_line_char_frac", FilterFormat.Threshold(_dupLineCharFraction))
            .Add("dup_para_char_frac", FilterFormat.Threshold(_dupParagraphCharFraction))
            .Add("top_n_grams", FormatSizes(_topNGrams))
            .Add("dup_n_grams", FormatSizes(_duplicateNGrams));
    }

    /// <inheritdoc />
    public override string Id => "filter.gopher-repetition";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Judges one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The rejection reason (rule, measured fraction and threshold), or <see langword="null"/> when the text passes.</returns>
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
        return FilterFormat.Decide(reason, rule, "gopher_repetition", context);
    }

    private string? Evaluate(string text, out string? rule)
    {
        rule = null;
        var stripped = LineSplitter.Trim(text, new TextSegment(0, text.Length));
        if (stripped.Length == 0)
        {
            return null;
        }

        var scratch = t_scratch ??= new GopherRepetitionScratch();
        try
        {
            scratch.Segments.Text = text;
            double length = FilterFormat.CodePoints(text);

            SplitOnNewlineRuns(text, stripped, 2, scratch.Parts);
            var (duplicates, duplicateChars) = FindDuplicates(text, scratch);
            var fraction = (double)duplicates / scratch.Parts.Count;
            if (_dupParagraphFraction is { } maxParagraphs && fraction > maxParagraphs)
            {
                return Fail(out rule, "dup_para_frac", "duplicate-paragraph fraction", fraction, maxParagraphs);
            }

            fraction = duplicateChars / length;
            if (_dupParagraphCharFraction is { } maxParagraphChars && fraction > maxParagraphChars)
            {
                return Fail(out rule, "dup_para_char_frac", "duplicate-paragraph character fraction", fraction, maxParagraphChars);
            }

            SplitOnNewlineRuns(text, new TextSegment(0, text.Length), 1, scratch.Parts);
            (duplicates, duplicateChars) = FindDuplicates(text, scratch);
            fraction = (double)duplicates / scratch.Parts.Count;
            if (_dupLineFraction is { } maxLines && fraction > maxLines)
            {
                return Fail(out rule, "dup_line_frac", "duplicate-line fraction", fraction, maxLines);
            }

            fraction = duplicateChars / length;
            if (_dupLineCharFraction is { } maxLineChars && fraction > maxLineChars)
            {
                return Fail(out rule, "dup_line_char_frac", "duplicate-line character fraction", fraction, maxLineChars);
            }

            if (_topNGrams.Length == 0 && _duplicateNGrams.Length == 0)
            {
                return null;
            }

            var count = Intern(text, scratch);
            foreach (var (n, maxFraction) in _topNGrams)
            {
                if (count < n)
                {
                    continue;
                }

                fraction = TopNGramChars(scratch, count, n) / length;
                if (fraction > maxFraction)
                {
                    return Fail(out rule, $"top_{n}_gram", $"top {n}-gram character fraction", fraction, maxFraction);
                }
            }

            foreach (var (n, maxFraction) in _duplicateNGrams)
            {
                fraction = DuplicateNGramChars(scratch, count, n) / length;
                if (fraction > maxFraction)
                {
                    return Fail(out rule, $"duplicated_{n}_n_grams", $"duplicated {n}-gram character fraction", fraction, maxFraction);
                }
            }

            return null;
        }
        finally
        {
            scratch.Reset();
        }
    }

    private static void SplitOnNewlineRuns(string text, TextSegment range, int minRun, List<TextSegment> output)
    {
        output.Clear();
        var start = range.Start;
        var i = range.Start;
        while (i < range.End)
        {
            if (text[i] != '\n')
            {
                i++;
                continue;
            }

            var j = i;
            while (j < range.End && text[j] == '\n')
            {
                j++;
            }

            if (j - i >= minRun)
            {
                output.Add(new TextSegment(start, i - start));
                start = j;
            }

            i = j;
        }

        output.Add(new TextSegment(start, range.End - start));
    }

    private static (int Duplicates, double Characters) FindDuplicates(string text, GopherRepetitionScratch scratch)
    {
        var seen = scratch.SeenSegments;
        seen.Clear();
        var duplicates = 0;
        long characters = 0;
        foreach (var segment in scratch.Parts)
        {
            if (!seen.Add(segment))
            {
                duplicates++;
                characters += FilterFormat.CodePoints(segment.Of(text));
            }
        }

        return (duplicates, characters);
    }

    private static int Intern(string text, GopherRepetitionScratch scratch)
    {
        var tokens = scratch.Parts;
        tokens.Clear();
        EnglishWordTokenizer.Tokenize(text, tokens);
        if (scratch.Ids.Length < tokens.Count)
        {
            scratch.Ids = new int[Math.Max(tokens.Count, scratch.Ids.Length * 2)];
        }

        var ids = scratch.Ids;
        var idOf = scratch.TokenIds;
        var lengths = scratch.TokenLengths;
        for (var i = 0; i < tokens.Count; i++)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(idOf, tokens[i], out var exists);
            if (!exists)
            {
                id = lengths.Count;
                lengths.Add(FilterFormat.CodePoints(tokens[i].Of(text)));
            }

            ids[i] = id;
        }

        scratch.NGrams.Ids = ids;
        return tokens.Count;
    }

    private static double TopNGramChars(GopherRepetitionScratch scratch, int count, int n)
    {
        scratch.Counts.Clear();
        scratch.NGrams.N = n;
        var max = 0;
        for (var i = 0; i + n <= count; i++)
        {
            ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(scratch.Counts, i, out _);
            c++;
            max = Math.Max(max, c);
        }

        for (var i = 0; i + n <= count; i++)
        {
            if (scratch.Counts[i] == max)
            {
                return (double)(Characters(scratch, i, n) + n - 1) * max;
            }
        }

        return 0;
    }

    private static double DuplicateNGramChars(GopherRepetitionScratch scratch, int count, int n)
    {
        scratch.Seen.Clear();
        scratch.NGrams.N = n;
        long repeated = 0;
        var i = 0;
        while (i < count - n + 1)
        {
            if (scratch.Seen.Contains(i))
            {
                repeated += Characters(scratch, i, n);
                i += n;
            }
            else
            {
                scratch.Seen.Add(i);
                i++;
            }
        }

        return repeated;
    }

    private static long Characters(GopherRepetitionScratch scratch, int start, int n)
    {
        long characters = 0;
        foreach (var id in scratch.Ids.AsSpan(start, n))
        {
            characters += scratch.TokenLengths[id];
        }

        return characters;
    }

    private static string Fail(out string? rule, string name, string measure, double value, double threshold)
    {
        rule = name;
        return $"{name}: {measure} {FilterFormat.Number(value)} > {FilterFormat.Number(threshold)}";
    }

    private static void CheckFraction(List<string> errors, string name, double? value)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0))
        {
            errors.Add($"{name} is {v}; it must be 0 or more, or null to turn the rule off.");
        }
    }

    private static KeyValuePair<int, double>[] SortedSizes(List<string> errors, string name, IDictionary<int, double> sizes)
    {
        var list = new List<KeyValuePair<int, double>>(sizes);
        foreach (var (n, fraction) in list)
        {
            if (n < 1)
            {
                errors.Add($"{name} has n = {n}; n must be 1 or more.");
            }

            CheckFraction(errors, $"{name}[{n}]", fraction);
        }

        list.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        return [.. list];
    }

    private static string FormatSizes(KeyValuePair<int, double>[] sizes)
    {
        var parts = new string[sizes.Length];
        for (var i = 0; i < sizes.Length; i++)
        {
            parts[i] = FilterFormat.Threshold(sizes[i].Key) + ":" + FilterFormat.Threshold(sizes[i].Value);
        }

        return string.Join(',', parts);
    }
}
