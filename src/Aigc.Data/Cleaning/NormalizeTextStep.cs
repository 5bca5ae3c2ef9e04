namespace Aigc.Data;

/// <summary>
/// Normalizes the text of each record's fields (id <c>clean.normalize</c>): optional HTML stripping, removal of
/// control and format characters, white-space collapsing, trimming and Unicode NFC composition. Records are never
/// rejected; counter <c>clean.normalize.fields_changed</c> counts the fields whose text changed.
/// </summary>
/// <remarks>
/// <para>In order, for each selected field:</para>
/// <list type="number">
/// <item><description>When <see cref="NormalizeTextOptions.StripHtml"/> is set, HTML markup is removed and character
/// references decoded (see that option).</description></item>
/// <item><description>Line breaks are recognized: <c>\n</c>, <c>\r\n</c>, <c>\r</c>, <c>\v</c>, <c>\f</c>, NEL (U+0085),
/// and the line and paragraph separators U+2028 and U+2029; each is one line break.</description></item>
/// <item><description>Removed: every other control character (Unicode category Cc, which includes C0, DEL and C1); every
/// format character (category Cf: zero-width space U+200B, zero-width non-joiner and joiner U+200C/U+200D unless
/// <see cref="NormalizeTextOptions.KeepJoiners"/> is set, word joiner U+2060, byte order mark U+FEFF, soft hyphen U+00AD,
/// bidirectional marks and controls, tag characters); and unpaired surrogates.</description></item>
/// <item><description>White space: runs of spaces, tabs and other space separators (category Zs, including no-break
/// and ideographic spaces) become one ASCII space; white space next to a line break is removed; line breaks are
/// handled as <see cref="NormalizeTextOptions.Newlines"/> says; the text is trimmed.</description></item>
/// <item><description>The result is composed to Unicode Normalization Form C (a decomposed <c>e</c> + U+0301 becomes
/// <c>é</c>).</description></item>
/// </list>
/// <para>A field that is already normalized keeps its string instance; the pass allocates nothing else then.</para>
/// </remarks>
public sealed class NormalizeTextStep : RecordStep
{
    private readonly FieldSelector _fields;
    private readonly NewlineHandling _newlines;
    private readonly bool _stripHtml;
    private readonly bool _keepJoiners;

    /// <summary>Initializes the step with the default settings (every field, lines kept, no HTML stripping).</summary>
    public NormalizeTextStep()
        : this(new NormalizeTextOptions())
    {
    }

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A field name is empty, or <see cref="NormalizeTextOptions.Newlines"/> is not a defined value.</exception>
    public NormalizeTextStep(NormalizeTextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Newlines))
        {
            throw new ArgumentException($"Newlines {options.Newlines} is not a defined NewlineHandling value; use KeepLines, KeepParagraphs or Collapse.", nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _newlines = options.Newlines;
        _stripHtml = options.StripHtml;
        _keepJoiners = options.KeepJoiners;
        Parameters = new StepParameters()
            .Add("fields", _fields.ToParameter())
            .Add("form", "NFC")
            .Add("newlines", _newlines.ToString())
            .Add("strip_html", _stripHtml)
            .Add("keep_joiners", _keepJoiners);
    }

    /// <inheritdoc />
    public override string Id => "clean.normalize";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Normalizes one text with this step's settings.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The normalized text (the same instance when nothing changed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = _stripHtml ? HtmlStripper.Strip(text) : text;
        return TextNormalizer.Normalize(value, _newlines, _keepJoiners);
    }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var changed = 0;
        foreach (var field in record.Fields)
        {
            if (!_fields.Includes(field.Name))
            {
                continue;
            }

            var value = field.Value;
            var normalized = Normalize(value);
            if (!ReferenceEquals(normalized, value) && !string.Equals(normalized, value, StringComparison.Ordinal))
            {
                field.Value = normalized;
                changed++;
            }
        }

        if (changed > 0)
        {
            context.Increment("clean.normalize.fields_changed", changed);
        }

        return StepDecision.Keep;
    }
}
