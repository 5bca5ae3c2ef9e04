namespace Aigc.Data;

/// <summary>The <see cref="DataRecord.Metadata"/> keys the augmentation steps write on the copies they create.</summary>
/// <remarks>
/// A copy's id is <c>&lt;original id&gt;#aug&lt;k&gt;</c>. Each step numbers the copies of a record on from the highest
/// number an earlier augmentation step used for it (recorded on the original under <see cref="LastCopy"/>), so two
/// augmentation steps in one pipeline never give two copies the same id. A copy a step skipped (unchanged text, a failed
/// model call) leaves a gap, so the other copies keep their ids.
/// </remarks>
public static class AugmentMetadataKeys
{
    /// <summary>The id of the record a copy was made from: <c>augment.source</c>.</summary>
    public const string Source = "augment.source";

    /// <summary>How a copy was made, for example <c>eda.swap</c> or <c>paraphrase</c>: <c>augment.method</c>.</summary>
    public const string Method = "augment.method";

    /// <summary>The image transform applied to an image copy, for example <c>crop=…;flip=true;rotate=…</c>: <c>augment.transform</c>.</summary>
    public const string Transform = "augment.transform";

    /// <summary>
    /// The highest copy number the augmentation steps used for a record, written on the original:
    /// <c>augment.last-copy</c>. The next augmentation step numbers its copies of the record from the value + 1.
    /// </summary>
    public const string LastCopy = "augment.last-copy";

    /// <summary>Returns the id of copy <paramref name="copy"/> of the record <paramref name="id"/>: <c>&lt;id&gt;#aug&lt;k&gt;</c>.</summary>
    /// <param name="id">The original record's id.</param>
    /// <param name="copy">The copy number, from 1.</param>
    /// <returns>The copy's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="copy"/> is less than 1.</exception>
    public static string CopyId(string id, int copy)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(copy, 1);
        return string.Concat(id, "#aug", copy.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
