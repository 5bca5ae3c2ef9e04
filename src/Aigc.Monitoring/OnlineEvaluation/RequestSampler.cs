namespace Aigc.Monitoring;

/// <summary>A deterministic sampling decision from a hash of the request id (FNV-1a over its UTF-16 code units, then a 64-bit finalizer), stable across processes.</summary>
internal static class RequestSampler
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>Maps a request id to a number uniformly spread over [0, 1).</summary>
    public static double Position(ReadOnlySpan<char> requestId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in requestId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // SplitMix64's finalizer: FNV-1a alone spreads short, similar ids poorly over the high bits.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * TwoToMinus53;
    }

    public static bool IsSampled(ReadOnlySpan<char> requestId, double rate) =>
        rate >= 1.0 || (rate > 0.0 && Position(requestId) < rate);
}
