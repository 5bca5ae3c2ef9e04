using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aigc.Data;

/// <summary>
/// Near-duplicate removal by MinHash LSH (<c>dedup.minhash</c>), in two passes over the stream. Pass 1 writes each
/// record to a temporary JSONL file under <see cref="DataStepContext.TempDirectory"/>, computes the MinHash
/// signatures of its text (<see cref="DataRecord.GetText"/>) in parallel batches, and inserts them in input order
/// into the LSH bands, uniting candidate pairs (verified by estimated Jaccard similarity, see
/// <see cref="MinHashDedupOptions.VerificationThreshold"/>) with union-find. Pass 2 reads the file back in order and
/// keeps the first record of every cluster; the others are marked as duplicates of it
/// (<see cref="MinHashDedupMode.Remove"/>) or kept with their cluster id (<see cref="MinHashDedupMode.Tag"/>).
/// </summary>
/// <remarks>
/// <para>
/// Text normalisation and shingling: NFKC, lower case (invariant), words are runs of letters, digits and combining
/// marks (each CJK ideograph, hiragana or katakana character is a word of its own; punctuation and white space
/// separate words); a shingle is <see cref="MinHashDedupOptions.NGramSize"/> consecutive words; a text with fewer
/// words is one shingle; a text without any word is never a near-duplicate. Each shingle is hashed to 64 bits and
/// permutation <c>i</c> is <c>(a_i·x + b_i) mod (2^61 − 1)</c> with seeded <c>a_i</c>, <c>b_i</c>, as in datatrove.
/// </para>
/// <para>
/// The result is deterministic: it depends on the input order and the options that are part of
/// <see cref="Parameters"/>, not on the number of threads or the batch size. Memory is about 0.6 KB per record for
/// the LSH buckets with the default 14 bands, plus <c>bands × rows</c> bytes and 4 bytes per band when candidate
/// pairs are verified; the records themselves wait on disk. The spill file is deleted when the run ends, also when
/// it fails or is cancelled. Reports the counters <c>dedup.minhash.clusters</c> and <c>dedup.minhash.duplicates</c>
/// and the report <c>minhash-clusters</c> (<see cref="MinHashClusterReport"/>).
/// </para>
/// </remarks>
public sealed class MinHashDedupStep : IDataStep
{
    /// <summary>The metadata key <see cref="MinHashDedupMode.Tag"/> writes the cluster id to.</summary>
    public const string ClusterMetadataKey = "dedup.cluster";

    /// <summary>The name of the cluster report.</summary>
    public const string ReportName = "minhash-clusters";

    /// <summary>The name of the counter of clusters with two or more records.</summary>
    public const string ClustersCounter = "dedup.minhash.clusters";

    /// <summary>The name of the counter of near-duplicates (dropped, or only tagged in <see cref="MinHashDedupMode.Tag"/> mode).</summary>
    public const string DuplicatesCounter = "dedup.minhash.duplicates";

    internal const int MaxPermutations = 4096;
    internal const int ReportedClusters = 20;
    internal const int ReportedMembers = 100;

    private readonly MinHashDedupOptions _options;
    private readonly MinHasher _hasher;

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message lists every problem.</exception>
    public MinHashDedupStep(MinHashDedupOptions? options = null)
    {
        options ??= new MinHashDedupOptions();
        _options = new MinHashDedupOptions
        {
            NGramSize = options.NGramSize,
            Bands = options.Bands,
            RowsPerBand = options.RowsPerBand,
            Seed = options.Seed,
            VerificationThreshold = options.VerificationThreshold,
            Mode = options.Mode,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            BatchSize = options.BatchSize,
        };
        Validate(_options);
        _hasher = new MinHasher(_options.Bands * _options.RowsPerBand, _options.NGramSize, _options.Seed);
        Parameters = new StepParameters()
            .Add("nGramSize", _options.NGramSize)
            .Add("bands", _options.Bands)
            .Add("rowsPerBand", _options.RowsPerBand)
            .Add("seed", _options.Seed)
            .Add("verificationThreshold", _options.VerificationThreshold)
            .Add("mode", _options.Mode.ToString());
    }

    /// <inheritdoc />
    public string Id => "dedup.minhash";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<DataRecord> ExecuteAsync(IAsyncEnumerable<DataRecord> records, DataStepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        return RunAsync(records, context, cancellationToken);
    }

    private static void Validate(MinHashDedupOptions options)
    {
        var errors = new List<string>();
        if (options.NGramSize < 1)
        {
            errors.Add($"NGramSize must be at least 1 (was {options.NGramSize}).");
        }

        if (options.Bands < 1 || options.RowsPerBand < 1 || (long)options.Bands * options.RowsPerBand > MaxPermutations)
        {
            errors.Add($"Bands and RowsPerBand must be at least 1 with Bands × RowsPerBand at most {MaxPermutations} (were {options.Bands} and {options.RowsPerBand}).");
        }

        if (!(options.VerificationThreshold >= 0 && options.VerificationThreshold <= 1))
        {
            errors.Add($"VerificationThreshold must be between 0 (off) and 1 (was {options.VerificationThreshold.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Mode must be {nameof(MinHashDedupMode.Remove)} or {nameof(MinHashDedupMode.Tag)} (was {(int)options.Mode}).");
        }

        if (options.MaxDegreeOfParallelism is < 1)
        {
            errors.Add($"MaxDegreeOfParallelism must be at least 1, or null for every core (was {options.MaxDegreeOfParallelism}).");
        }

        if (options.BatchSize < 1)
        {
            errors.Add($"BatchSize must be at least 1 (was {options.BatchSize}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid MinHash deduplication options: " + string.Join(" ", errors), nameof(options));
        }
    }

    private async IAsyncEnumerable<DataRecord> RunAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var spill = MinHashSpillFile.Create(context.TempDirectory);
        await using (spill.ConfigureAwait(false))
        {
            var index = await IndexAsync(records, spill, cancellationToken).ConfigureAwait(false);
            index.Flatten();
            var sizes = new Dictionary<int, int>();
            for (var document = 0; document < index.Count; document++)
            {
                var root = index.Find(document);
                if (root != document)
                {
                    ref var size = ref CollectionsMarshal.GetValueRefOrAddDefault(sizes, root, out var exists);
                    size = exists ? size + 1 : 2;
                }
            }

            var largest = LargestClusters(sizes);
            var members = new Dictionary<int, List<string>>(largest.Count);
            foreach (var root in largest)
            {
                members[root] = new List<string>(Math.Min(sizes[root], ReportedMembers));
            }

            var survivorIds = new Dictionary<int, string>(sizes.Count);
            var tag = _options.Mode == MinHashDedupMode.Tag;
            long duplicates = 0;
            await spill.StartReadingAsync(cancellationToken).ConfigureAwait(false);
            for (var document = 0; ; document++)
            {
                var record = await spill.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (record is null)
                {
                    if (document != index.Count)
                    {
                        throw new InvalidDataException($"The MinHash spill file '{spill.Path}' holds {document} records instead of {index.Count}; it was changed while the step ran.");
                    }

                    break;
                }

                var root = index.Find(document);
                string clusterId;
                if (root == document)
                {
                    clusterId = record.Id;
                    if (sizes.ContainsKey(document))
                    {
                        survivorIds.Add(document, clusterId);
                    }
                }
                else
                {
                    clusterId = survivorIds[root];
                    duplicates++;
                }

                if (members.TryGetValue(root, out var list) && list.Count < ReportedMembers)
                {
                    list.Add(record.Id);
                }

                if (tag)
                {
                    record.Metadata[ClusterMetadataKey] = clusterId;
                    yield return record;
                }
                else if (root == document)
                {
                    yield return record;
                }
                else
                {
                    context.MarkDuplicate(record, clusterId);
                }
            }

            context.Increment(ClustersCounter, sizes.Count);
            context.Increment(DuplicatesCounter, duplicates);
            context.AddReport(ReportName, BuildReport(index.Count, sizes, largest, members, survivorIds, duplicates));
        }
    }

    private async Task<MinHashLshIndex> IndexAsync(IAsyncEnumerable<DataRecord> records, MinHashSpillFile spill, CancellationToken cancellationToken)
    {
        var batchSize = _options.BatchSize;
        var index = new MinHashLshIndex(_options.Bands, _options.RowsPerBand, _options.VerificationThreshold);
        var batch = new SignatureBatch(_hasher, batchSize, _options.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await spill.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            batch.Texts[batch.Count++] = record.GetText();
            if (batch.Count == batchSize)
            {
                batch.ComputeAndInsert(index, cancellationToken);
            }
        }

        batch.ComputeAndInsert(index, cancellationToken);
        return index;
    }

    private static List<int> LargestClusters(Dictionary<int, int> sizes)
    {
        var all = new List<KeyValuePair<int, int>>(sizes);
        all.Sort(static (x, y) => x.Value != y.Value ? y.Value.CompareTo(x.Value) : x.Key.CompareTo(y.Key));
        var roots = new List<int>(Math.Min(all.Count, ReportedClusters));
        for (var i = 0; i < all.Count && i < ReportedClusters; i++)
        {
            roots.Add(all[i].Key);
        }

        return roots;
    }

    private MinHashClusterReport BuildReport(
        int records,
        Dictionary<int, int> sizes,
        List<int> largest,
        Dictionary<int, List<string>> members,
        Dictionary<int, string> survivorIds,
        long duplicates)
    {
        var histogram = new SortedDictionary<int, long>();
        foreach (var size in sizes.Values)
        {
            histogram[size] = histogram.GetValueOrDefault(size) + 1;
        }

        var summaries = new List<MinHashClusterSummary>(largest.Count);
        foreach (var root in largest)
        {
            summaries.Add(new MinHashClusterSummary { ClusterId = survivorIds[root], Size = sizes[root], MemberIds = members[root] });
        }

        return new MinHashClusterReport
        {
            Records = records,
            Clusters = sizes.Count,
            Duplicates = duplicates,
            Mode = _options.Mode,
            SizeHistogram = histogram,
            LargestClusters = summaries,
        };
    }
}
