using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// The augmentation steps' random number generator: xoshiro256** seeded through SplitMix64 from
/// <c>XxHash64(step id, record id; seed)</c>. Each record gets its own generator, so a record's augmentations depend
/// only on the seed, the step and the record id: never on the order of the records or on parallelism. The
/// algorithm is fixed here (unlike <see cref="Random"/>, whose seeded sequence is not a contract) so outputs stay
/// reproducible across .NET versions.
/// </summary>
internal sealed class AugmentRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Initializes a generator from a 64-bit seed.</summary>
    /// <param name="seed">The seed.</param>
    public AugmentRandom(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>Creates the generator of one record.</summary>
    /// <param name="seed">The step's seed.</param>
    /// <param name="stepId">The step id (so two steps with the same seed draw different numbers).</param>
    /// <param name="recordId">The record id.</param>
    /// <returns>The generator.</returns>
    public static AugmentRandom ForRecord(int seed, string stepId, string recordId) => new(Hash(seed, stepId, recordId, 0));

    /// <summary>Derives a 64-bit seed for one copy of one record (for example a model's sampling seed).</summary>
    /// <param name="seed">The step's seed.</param>
    /// <param name="stepId">The step id.</param>
    /// <param name="recordId">The record id.</param>
    /// <param name="copy">The copy number.</param>
    /// <returns>A non-negative seed.</returns>
    public static long DeriveSeed(int seed, string stepId, string recordId, int copy) =>
        (long)(Hash(seed, stepId, recordId, copy) >> 1);

    /// <summary>Returns the next 64 random bits.</summary>
    /// <returns>The bits.</returns>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <param name="maxExclusive">The exclusive upper bound, at least 1.</param>
    /// <returns>The integer.</returns>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        return (int)Math.BigMul(NextUInt64(), (ulong)maxExclusive, out _);
    }

    /// <summary>Returns a uniform integer in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="maxInclusive">The inclusive upper bound.</param>
    /// <returns>The integer.</returns>
    public int NextInclusive(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    /// <summary>Returns a uniform double in [0, 1).</summary>
    /// <returns>The double.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>The double.</returns>
    public double NextDouble(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Shuffles a span in place (Fisher–Yates).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Hash(int seed, string stepId, string recordId, int copy)
    {
        var length = Encoding.UTF8.GetMaxByteCount(stepId.Length + recordId.Length) + 1 + sizeof(int);
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(stepId, buffer);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(recordId, buffer[written..]);
            BitConverter.TryWriteBytes(buffer[written..], copy);
            written += sizeof(int);
            return XxHash64.HashToUInt64(buffer[..written], seed);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
