using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Aigc.Data;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures, with union-find clustering. Documents are added in input
/// order and numbered from 0; each band of <c>rows</c> signature values is hashed into a bucket per band, and a
/// document that lands in an occupied bucket is united with the documents already there. The root of a cluster is
/// always its smallest (first) document, so the survivor does not depend on the order of unions.
/// </summary>
/// <remarks>
/// Without verification a bucket only remembers its first document: every later document of the bucket is united
/// with it, so all of them end up in one cluster (as in text-dedup). With verification each band keeps a chain of
/// its documents (newest first) and a candidate pair is united only when the signatures' estimated Jaccard
/// similarity reaches the threshold; that needs the low 8 bits of every signature value (b-bit minwise hashing,
/// Li and König 2010), one byte per permutation and document, corrected for the 1/256 chance of equal low bits.
/// </remarks>
internal sealed class MinHashLshIndex
{
    /// <summary>How many members of a bucket chain a new document is compared with, at most.</summary>
    internal const int MaxChainCandidates = 16;

    private const double LowBitsCollision = 1.0 / 256;

    private readonly int _bands;
    private readonly int _rows;
    private readonly double _threshold;
    private readonly Dictionary<ulong, int>[] _buckets;
    private const int BlockShift = 14;
    private const int BlockMask = (1 << BlockShift) - 1;

    private readonly List<byte[]> _lowBits = [];
    private int[] _parent = new int[1024];
    private readonly int[][] _next = [];

    public MinHashLshIndex(int bands, int rows, double verificationThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _bands = bands;
        _rows = rows;
        _threshold = verificationThreshold;
        _buckets = new Dictionary<ulong, int>[bands];
        for (var band = 0; band < bands; band++)
        {
            _buckets[band] = [];
        }

        if (Verifies)
        {
            _next = new int[bands][];
            for (var band = 0; band < bands; band++)
            {
                _next[band] = new int[1024];
            }
        }
    }

    /// <summary>Gets how many documents were added.</summary>
    public int Count { get; private set; }

    /// <summary>Gets whether candidate pairs are verified by estimated Jaccard similarity.</summary>
    public bool Verifies => _threshold > 0;

    private int Permutations => _bands * _rows;

    /// <summary>Adds the next document and unites it with the candidates LSH finds for it.</summary>
    /// <param name="signature">The document's signature (<c>bands × rows</c> values).</param>
    /// <param name="hasShingles">Whether the text had any shingle; a document without one stays alone.</param>
    /// <returns>The document's number.</returns>
    public int Add(ReadOnlySpan<ulong> signature, bool hasShingles)
    {
        if (signature.Length != Permutations)
        {
            throw new ArgumentException($"The signature must hold {Permutations} values.", nameof(signature));
        }

        var document = Count;
        if (document == int.MaxValue)
        {
            throw new InvalidOperationException("MinHash deduplication handles at most 2,147,483,647 records in one run.");
        }

        Grow(document + 1);
        _parent[document] = document;
        Count = document + 1;
        if (!hasShingles)
        {
            return document;
        }

        if (Verifies)
        {
            while (_lowBits.Count <= document >> BlockShift)
            {
                _lowBits.Add(new byte[(BlockMask + 1) * Permutations]);
            }

            var bits = LowBits(document);
            for (var i = 0; i < bits.Length; i++)
            {
                bits[i] = (byte)signature[i];
            }
        }

        for (var band = 0; band < _bands; band++)
        {
            var key = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * _rows, _rows)));
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_buckets[band], key, out var exists);
            if (!Verifies)
            {
                if (exists)
                {
                    Union(head, document);
                }
                else
                {
                    head = document;
                }

                continue;
            }

            var next = _next[band];
            if (exists)
            {
                var candidate = head;
                for (var examined = 0; candidate >= 0 && examined < MaxChainCandidates; examined++)
                {
                    if (Find(candidate) != Find(document) && EstimateJaccard(candidate, document) >= _threshold)
                    {
                        Union(candidate, document);
                    }

                    candidate = next[candidate];
                }

                next[document] = head;
            }
            else
            {
                next[document] = -1;
            }

            head = document;
        }

        return document;
    }

    /// <summary>Returns the root (smallest document) of the document's cluster.</summary>
    public int Find(int document)
    {
        var parent = _parent;
        while (parent[document] != document)
        {
            parent[document] = parent[parent[document]];
            document = parent[document];
        }

        return document;
    }

    /// <summary>Points every document straight at its root, so <see cref="Find"/> takes one step afterwards.</summary>
    public void Flatten()
    {
        // Parents always have smaller numbers, so in ascending order a parent's parent is already the root.
        for (var document = 0; document < Count; document++)
        {
            _parent[document] = _parent[_parent[document]];
        }
    }

    /// <summary>Estimates the Jaccard similarity of two added documents from their low signature bits.</summary>
    public double EstimateJaccard(int first, int second)
    {
        if (!Verifies)
        {
            throw new InvalidOperationException("Signature bits are kept only when verification is on.");
        }

        var a = LowBits(first);
        var b = LowBits(second);
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return ((double)equal / a.Length - LowBitsCollision) / (1 - LowBitsCollision);
    }

    private Span<byte> LowBits(int document) =>
        _lowBits[document >> BlockShift].AsSpan((document & BlockMask) * Permutations, Permutations);

    private void Union(int first, int second)
    {
        var a = Find(first);
        var b = Find(second);
        if (a == b)
        {
            return;
        }

        if (a < b)
        {
            _parent[b] = a;
        }
        else
        {
            _parent[a] = b;
        }
    }

    private void Grow(int needed)
    {
        if (needed <= _parent.Length)
        {
            return;
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_parent.Length * 2));
        Array.Resize(ref _parent, size);
        if (Verifies)
        {
            for (var band = 0; band < _bands; band++)
            {
                Array.Resize(ref _next[band], size);
            }
        }
    }
}
