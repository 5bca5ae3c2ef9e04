namespace Aigc.Training;

/// <summary>The order in which an epoch reads the training set.</summary>
internal static class EpochOrder
{
    /// <summary>
    /// A seeded permutation of the training set for one epoch, the same in every process (so a resumed or restarted
    /// run reads the batches an uninterrupted one would; <see cref="HashCode"/> is randomised per process and unfit).
    /// </summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(EpochSeed(seed, epoch)).Shuffle(order);
        return order;
    }

    /// <summary>Mixes the run's seed and the epoch into one non-negative seed (SplitMix64's finaliser).</summary>
    private static int EpochSeed(int seed, int epoch)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
