namespace Aigc.Data;

/// <summary>
/// A batch of texts whose MinHash signatures are computed in parallel (chunks of the batch over the cores) and then
/// inserted into the LSH index in input order, so the result does not depend on the number of threads.
/// </summary>
internal sealed class SignatureBatch
{
    private const int MinChunk = 16;

    private readonly MinHasher _hasher;
    private readonly ulong[] _signatures;
    private readonly int[] _shingles;
    private readonly int _degreeOfParallelism;

    public SignatureBatch(MinHasher hasher, int capacity, int degreeOfParallelism)
    {
        _hasher = hasher;
        _degreeOfParallelism = degreeOfParallelism;
        Texts = new string[capacity];
        _signatures = new ulong[checked(capacity * hasher.Permutations)];
        _shingles = new int[capacity];
    }

    /// <summary>Gets the texts of the batch; the first <see cref="Count"/> are filled.</summary>
    public string[] Texts { get; }

    /// <summary>Gets or sets how many texts the batch holds.</summary>
    public int Count { get; set; }

    /// <summary>Computes the batch's signatures, adds them to <paramref name="index"/> in order and empties the batch.</summary>
    public void ComputeAndInsert(MinHashLshIndex index, CancellationToken cancellationToken)
    {
        var count = Count;
        if (count == 0)
        {
            return;
        }

        var permutations = _hasher.Permutations;
        if (_degreeOfParallelism == 1 || count <= MinChunk)
        {
            ComputeRange(0, count);
        }
        else
        {
            var chunk = Math.Max(MinChunk, count / (_degreeOfParallelism * 4));
            var chunks = (count + chunk - 1) / chunk;
            var options = new ParallelOptions { MaxDegreeOfParallelism = _degreeOfParallelism, CancellationToken = cancellationToken };
            Parallel.For(0, chunks, options, i => ComputeRange(i * chunk, Math.Min(count, (i + 1) * chunk)));
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < count; i++)
        {
            index.Add(_signatures.AsSpan(i * permutations, permutations), _shingles[i] > 0);
            Texts[i] = null!;
        }

        Count = 0;
    }

    private void ComputeRange(int start, int end)
    {
        var permutations = _hasher.Permutations;
        for (var i = start; i < end; i++)
        {
            _shingles[i] = _hasher.Compute(Texts[i], _signatures.AsSpan(i * permutations, permutations));
        }
    }
}
