namespace Aigc.Data;

/// <summary>
/// Settings of <see cref="GopherRepetitionFilter"/>. The defaults are datatrove's <c>GopherRepetitionFilter</c>
/// defaults (table A1 of the Gopher paper); set a fraction to <see langword="null"/> to turn its rule off, and remove
/// an n-gram size from a dictionary to skip it.
/// </summary>
public sealed class GopherRepetitionOptions
{
    /// <summary>Gets the names of the fields whose text (joined with a newline) is judged; when empty, the whole record text.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>Gets or sets the largest fraction of lines that repeat an earlier line (rule <c>dup_line_frac</c>).</summary>
    /// <value>The default value is <c>0.3</c>.</value>
    public double? DuplicateLineFraction { get; set; } = 0.3;

    /// <summary>Gets or sets the largest fraction of paragraphs that repeat an earlier paragraph (rule <c>dup_para_frac</c>).</summary>
    /// <value>The default value is <c>0.3</c>.</value>
    public double? DuplicateParagraphFraction { get; set; } = 0.3;

    /// <summary>Gets or sets the largest fraction of characters in repeated lines (rule <c>dup_line_char_frac</c>).</summary>
    /// <value>The default value is <c>0.2</c>.</value>
    public double? DuplicateLineCharFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the largest fraction of characters in repeated paragraphs (rule <c>dup_para_char_frac</c>).</summary>
    /// <value>The default value is <c>0.2</c>.</value>
    public double? DuplicateParagraphCharFraction { get; set; } = 0.2;

    /// <summary>
    /// Gets the largest fraction of characters covered by the most frequent n-gram, by n (rules <c>top_{n}_gram</c>).
    /// </summary>
    /// <value>The default value is <c>{2: 0.2, 3: 0.18, 4: 0.16}</c>.</value>
    public IDictionary<int, double> TopNGramCharFractions { get; } = new SortedDictionary<int, double> { [2] = 0.2, [3] = 0.18, [4] = 0.16 };

    /// <summary>
    /// Gets the largest fraction of characters in duplicated n-grams, by n (rules <c>duplicated_{n}_n_grams</c>).
    /// </summary>
    /// <value>The default value is <c>{5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}</c>.</value>
    public IDictionary<int, double> DuplicateNGramCharFractions { get; } = new SortedDictionary<int, double>
    {
        [5] = 0.15, [6] = 0.14, [7] = 0.13, [8] = 0.12, [9] = 0.11, [10] = 0.10,
    };
}
