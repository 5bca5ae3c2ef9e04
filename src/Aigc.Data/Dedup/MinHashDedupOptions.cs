namespace Aigc.Data;

/// <summary>
/// Settings of <see cref="MinHashDedupStep"/>. The defaults are datatrove's (FineWeb): word 5-grams, 112
/// permutations as 14 bands × 8 rows, so a pair with Jaccard similarity <c>s</c> becomes a candidate with
/// probability <c>1 − (1 − s^8)^14</c> (0.92 at 0.8, 0.05 at 0.5; the curve crosses one half near 0.72).
/// </summary>
public sealed class MinHashDedupOptions
{
    /// <summary>Gets or sets the number of words per shingle; a text with fewer words is one shingle.</summary>
    /// <value>The default value is <c>5</c>.</value>
    public int NGramSize { get; set; } = 5;

    /// <summary>Gets or sets the number of LSH bands.</summary>
    /// <value>The default value is <c>14</c>.</value>
    public int Bands { get; set; } = 14;

    /// <summary>Gets or sets the number of signature values per band; permutations = <see cref="Bands"/> × <see cref="RowsPerBand"/>.</summary>
    /// <value>The default value is <c>8</c>.</value>
    public int RowsPerBand { get; set; } = 8;

    /// <summary>Gets or sets the seed of the permutation parameters (the same seed gives the same clusters).</summary>
    /// <value>The default value is <c>1</c> (datatrove's default seed; the permutations themselves are ours).</value>
    public long Seed { get; set; } = 1;

    /// <summary>
    /// Gets or sets the estimated Jaccard similarity a candidate pair must reach to be united; <c>0</c> unites every
    /// LSH candidate pair, as datatrove does. Verification cuts the false positives of the banding (about 5 % of pairs
    /// at similarity 0.5 with the default bands) at the cost of one byte per permutation and record in memory
    /// (112 bytes with the defaults) and a bounded number of comparisons per band.
    /// </summary>
    /// <value>The default value is <c>0.7</c>.</value>
    public double VerificationThreshold { get; set; } = 0.7;

    /// <summary>Gets or sets what happens to near-duplicates.</summary>
    /// <value>The default value is <see cref="MinHashDedupMode.Remove"/>.</value>
    public MinHashDedupMode Mode { get; set; } = MinHashDedupMode.Remove;

    /// <summary>
    /// Gets or sets how many threads compute signatures; <see langword="null"/> uses every core. The result does not
    /// depend on it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>Gets or sets how many records are read before their signatures are computed in parallel.</summary>
    /// <value>The default value is <c>2048</c>. The result does not depend on it.</value>
    public int BatchSize { get; set; } = 2048;
}
