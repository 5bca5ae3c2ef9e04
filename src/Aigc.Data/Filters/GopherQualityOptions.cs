namespace Aigc.Data;

/// <summary>
/// Settings of <see cref="GopherQualityFilter"/>. The defaults are datatrove's <c>GopherQualityFilter</c> defaults
/// (from the Gopher paper, Rae et al. 2021, appendix A); set a threshold to <see langword="null"/> to turn its rule off.
/// </summary>
public sealed class GopherQualityOptions
{
    /// <summary>Gets the names of the fields whose text (joined with a newline) is judged; when empty, the whole record text.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>Gets or sets the fewest words a document may have (rule <c>gopher_short_doc</c>).</summary>
    /// <value>The default value is <c>50</c>.</value>
    public int? MinDocWords { get; set; } = 50;

    /// <summary>Gets or sets the most words a document may have (rule <c>gopher_long_doc</c>).</summary>
    /// <value>The default value is <c>100000</c>.</value>
    public int? MaxDocWords { get; set; } = 100_000;

    /// <summary>Gets or sets the smallest mean word length, in characters (rule <c>gopher_below_avg_threshold</c>).</summary>
    /// <value>The default value is <c>3</c>.</value>
    public double? MinAvgWordLength { get; set; } = 3;

    /// <summary>Gets or sets the largest mean word length, in characters (rule <c>gopher_above_avg_threshold</c>).</summary>
    /// <value>The default value is <c>10</c>.</value>
    public double? MaxAvgWordLength { get; set; } = 10;

    /// <summary>
    /// Gets or sets the largest ratio of <c>#</c> characters, and of ellipses (<c>...</c> or <c>…</c>), to tokens
    /// (rules <c>gopher_too_many_hashes</c> and <c>gopher_too_many_ellipsis</c>).
    /// </summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double? MaxSymbolWordRatio { get; set; } = 0.1;

    /// <summary>Gets or sets the largest fraction of lines starting with a bullet (<c>•</c> or <c>-</c>) (rule <c>gopher_too_many_bullets</c>).</summary>
    /// <value>The default value is <c>0.9</c>.</value>
    public double? MaxBulletLinesRatio { get; set; } = 0.9;

    /// <summary>Gets or sets the largest fraction of lines ending with an ellipsis (rule <c>gopher_too_many_end_ellipsis</c>).</summary>
    /// <value>The default value is <c>0.3</c>.</value>
    public double? MaxEllipsisLinesRatio { get; set; } = 0.3;

    /// <summary>
    /// Gets or sets the smallest fraction of tokens that contain a letter (rule <c>gopher_below_alpha_threshold</c>;
    /// datatrove calls this setting <c>max_non_alpha_words_ratio</c>).
    /// </summary>
    /// <value>The default value is <c>0.8</c>.</value>
    public double? MinAlphabeticWordRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the fewest stop words a document must contain (rule <c>gopher_enough_stop_words</c>).</summary>
    /// <value>The default value is <c>2</c>.</value>
    public int? MinStopWords { get; set; } = 2;

    /// <summary>Gets the stop words, matched case-sensitively against tokens as datatrove does.</summary>
    /// <value>The default value is <c>the, be, to, of, and, that, have, with</c>.</value>
    public ISet<string> StopWords { get; } = new HashSet<string>(StringComparer.Ordinal) { "the", "be", "to", "of", "and", "that", "have", "with" };
}
