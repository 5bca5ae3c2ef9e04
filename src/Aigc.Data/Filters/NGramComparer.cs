namespace Aigc.Data;

/// <summary>Compares word n-grams by position in an array of token ids, so n-grams are counted without building strings.</summary>
internal sealed class NGramComparer : IEqualityComparer<int>
{
    /// <summary>Gets or sets the token ids of the document.</summary>
    public int[] Ids { get; set; } = [];

    /// <summary>Gets or sets n.</summary>
    public int N { get; set; }

    /// <inheritdoc />
    public bool Equals(int x, int y) => x == y || Ids.AsSpan(x, N).SequenceEqual(Ids.AsSpan(y, N));

    /// <inheritdoc />
    public int GetHashCode(int obj)
    {
        var hash = new HashCode();
        foreach (var id in Ids.AsSpan(obj, N))
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }
}
