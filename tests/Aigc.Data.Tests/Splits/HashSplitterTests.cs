using Aigc.Data.Tests.Dedup;

namespace Aigc.Data.Tests.Splits;

public sealed class HashSplitterTests
{
    [Fact]
    public void Default_ratios_hold_within_tolerance()
    {
        var splitter = new HashSplitter();
        var counts = Count(splitter, Records(20_000));

        Assert.InRange(counts[SplitNames.Train] / 20_000.0, 0.79, 0.81);
        Assert.InRange(counts[SplitNames.Validation] / 20_000.0, 0.09, 0.11);
        Assert.InRange(counts[SplitNames.Test] / 20_000.0, 0.09, 0.11);
    }

    [Theory]
    [InlineData(0.5, 0.5, 0.0)]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.7, 0.0, 0.3)]
    [InlineData(0.6, 0.2, 0.2)]
    public void Custom_ratios_hold_and_empty_splits_stay_empty(double train, double validation, double test)
    {
        var splitter = new HashSplitter(new HashSplitOptions { TrainRatio = train, ValidationRatio = validation, TestRatio = test, Seed = 5 });
        var counts = Count(splitter, Records(10_000));

        Assert.InRange(counts.GetValueOrDefault(SplitNames.Train) / 10_000.0, train - 0.02, train + 0.02);
        Assert.InRange(counts.GetValueOrDefault(SplitNames.Validation) / 10_000.0, validation - 0.02, validation + 0.02);
        Assert.InRange(counts.GetValueOrDefault(SplitNames.Test) / 10_000.0, test - 0.02, test + 0.02);
        Assert.True(validation > 0 || !counts.ContainsKey(SplitNames.Validation));
        Assert.True(test > 0 || !counts.ContainsKey(SplitNames.Test));
    }

    [Fact]
    public void Existing_records_keep_their_split_when_records_are_added()
    {
        var options = new HashSplitOptions { Seed = 11 };
        var before = Records(5_000).ToDictionary(r => r.Id, new HashSplitter(options).GetSplit);

        var random = new Random(1);
        var grown = Records(5_000).Concat(Enumerable.Range(0, 5_000).Select(i => DataRecord.CreateText("new-" + i, "new text " + i))).OrderBy(_ => random.Next()).ToList();
        var after = new HashSplitter(options);

        foreach (var record in grown.Where(r => before.ContainsKey(r.Id)))
        {
            Assert.Equal(before[record.Id], after.GetSplit(record));
        }

        var other = new HashSplitter(new HashSplitOptions { Seed = 12 });
        Assert.Contains(grown, r => before.TryGetValue(r.Id, out var split) && split != other.GetSplit(r));
    }

    [Fact]
    public void Groups_never_straddle_splits()
    {
        var random = new Random(2);
        var records = new List<DataRecord>();
        for (var group = 0; group < 1_000; group++)
        {
            var size = random.Next(1, 8);
            for (var k = 0; k < size; k++)
            {
                var record = DataRecord.CreateText($"g{group}-{k}", "text");
                record.Metadata[MinHashDedupStep.ClusterMetadataKey] = "g" + group;
                records.Add(record);
            }
        }

        var splitter = new HashSplitter(new HashSplitOptions { GroupByMetadata = MinHashDedupStep.ClusterMetadataKey, StratifyByLabel = "topic" });
        var splitsPerGroup = records.GroupBy(r => r.Metadata[MinHashDedupStep.ClusterMetadataKey]).Select(g => g.Select(splitter.GetSplit).Distinct().Count());

        Assert.All(splitsPerGroup, count => Assert.Equal(1, count));
        Assert.Equal(3, records.Select(splitter.GetSplit).Distinct().Count());
    }

    [Fact]
    public void Records_without_a_group_value_are_groups_of_their_own()
    {
        var splitter = new HashSplitter(new HashSplitOptions { GroupByLabel = "source" });
        var plain = new HashSplitter();
        var records = Records(2_000);
        foreach (var record in records)
        {
            Assert.Equal(plain.GetSplit(record), splitter.GetSplit(record));
        }

        var labelled = records.Select(r =>
        {
            var copy = r.Clone();
            copy.Labels["source"] = "site-" + (int.Parse(r.Id.AsSpan(4)) % 50);
            return copy;
        }).ToList();
        Assert.All(labelled.GroupBy(r => r.Labels["source"]), g => Assert.Single(g.Select(splitter.GetSplit).Distinct()));
    }

    [Fact]
    public void Stratified_label_shares_are_within_two_percent()
    {
        var records = LabelledRecords(10_000, seed: 4);
        foreach (var seed in new long[] { 1, 2, 3, 42, 1234 })
        {
            var splitter = new HashSplitter(new HashSplitOptions { StratifyByLabel = "topic", Seed = seed });
            foreach (var stratum in records.GroupBy(r => r.Labels["topic"]))
            {
                var total = stratum.Count();
                Assert.InRange(total, 3_000, 3_700);
                var train = stratum.Count(r => splitter.GetSplit(r) == SplitNames.Train);
                var validation = stratum.Count(r => splitter.GetSplit(r) == SplitNames.Validation);
                Assert.InRange((double)train / total, 0.78, 0.82);
                Assert.InRange((double)validation / total, 0.08, 0.12);
            }
        }
    }

    [Fact]
    public void Stratified_shares_spread_as_documented()
    {
        // The documented guarantee: a label's train share is binomial, mean 0.8 and deviation sqrt(0.8 * 0.2 / n).
        var records = LabelledRecords(10_000, seed: 5);
        var strata = records.GroupBy(r => r.Labels["topic"]).Select(g => g.ToList()).ToList();
        var deviations = new List<double>();
        var within = 0;
        for (var seed = 0; seed < 60; seed++)
        {
            var splitter = new HashSplitter(new HashSplitOptions { StratifyByLabel = "topic", Seed = seed });
            foreach (var stratum in strata)
            {
                var train = 0;
                foreach (var record in stratum)
                {
                    train += ReferenceEquals(splitter.GetSplit(record), SplitNames.Train) ? 1 : 0;
                }

                var share = (double)train / stratum.Count;
                var sigma = Math.Sqrt(0.8 * 0.2 / stratum.Count);
                deviations.Add((share - 0.8) / sigma);
                within += Math.Abs(share - 0.8) <= 0.02 ? 1 : 0;
            }
        }

        var mean = deviations.Average();
        var spread = Math.Sqrt(deviations.Sum(d => (d - mean) * (d - mean)) / (deviations.Count - 1));
        Assert.InRange(mean, -0.25, 0.25);
        Assert.InRange(spread, 0.8, 1.2);
        Assert.True(within >= 0.98 * deviations.Count, $"{within} of {deviations.Count} label shares were within ±2 %.");
    }

    [Fact]
    public void Stratification_mixes_the_label_into_the_hash()
    {
        var plain = new HashSplitter();
        var stratified = new HashSplitter(new HashSplitOptions { StratifyByLabel = "topic" });
        var records = Records(1_000);
        foreach (var record in records)
        {
            record.Labels["topic"] = "a";
        }

        Assert.Contains(records, r => plain.GetSplit(r) != stratified.GetSplit(r));

        var unlabelled = Records(1_000);
        var relabelled = Records(1_000);
        foreach (var record in relabelled)
        {
            record.Labels["other"] = "x";
        }

        Assert.Equal(unlabelled.Select(stratified.GetSplit), relabelled.Select(stratified.GetSplit));
    }

    [Fact]
    public async Task Near_duplicates_tagged_by_MinHash_land_in_one_split()
    {
        var corpus = SyntheticCorpus.Create(seed: 3, families: 40, nearPerFamily: 4, farPerFamily: 0, unrelated: 50);
        var records = corpus.Texts.Select((text, i) => DataRecord.CreateText("d" + i, text)).ToList();
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var tagged = await DedupTestData.RunAsync(new MinHashDedupStep(new MinHashDedupOptions { Mode = MinHashDedupMode.Tag }), records, context);

        var splitter = new HashSplitter(new HashSplitOptions { GroupByMetadata = MinHashDedupStep.ClusterMetadataKey });
        var clusters = tagged.GroupBy(r => r.Metadata[MinHashDedupStep.ClusterMetadataKey]).ToList();

        Assert.Contains(clusters, c => c.Count() > 1);
        Assert.All(clusters, c => Assert.Single(c.Select(splitter.GetSplit).Distinct()));
    }

    [Fact]
    public void Parameters_describe_the_assignment()
    {
        var splitter = new HashSplitter(new HashSplitOptions { TrainRatio = 0.9, ValidationRatio = 0.05, TestRatio = 0.05, Seed = 7, GroupByMetadata = "dedup.cluster" });
        Assert.Equal("split.hash", splitter.Id);
        Assert.Equal(1, splitter.Version);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["train"] = "0.9", ["validation"] = "0.05", ["test"] = "0.05", ["seed"] = "7",
                ["groupByMetadata"] = "dedup.cluster", ["groupByLabel"] = "", ["stratifyByLabel"] = "",
            },
            new Dictionary<string, string>(splitter.Parameters));
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var error = Assert.Throws<ArgumentException>(() => new HashSplitter(new HashSplitOptions { TrainRatio = 1.2, ValidationRatio = double.NaN, GroupByMetadata = "a", GroupByLabel = "b", StratifyByLabel = " " }));
        Assert.Contains("TrainRatio must be between", error.Message);
        Assert.Contains("ValidationRatio must be between", error.Message);
        Assert.Contains("not both", error.Message);
        Assert.Contains("StratifyByLabel", error.Message);
        var sum = Assert.Throws<ArgumentException>(() => new HashSplitter(new HashSplitOptions { TrainRatio = 0.7 }));
        Assert.Contains("must be 1", sum.Message);
        Assert.Throws<ArgumentNullException>(() => new HashSplitter().GetSplit(null!));
    }

    private static List<DataRecord> LabelledRecords(int count, int seed)
    {
        var random = new Random(seed);
        string[] labels = ["news", "code", "chat"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var record = DataRecord.CreateText($"doc-{random.NextInt64():x16}", "text " + i);
            record.Labels["topic"] = labels[random.Next(labels.Length)];
            return record;
        }).ToList();
    }

    private static List<DataRecord> Records(int count) =>
        Enumerable.Range(0, count).Select(i => DataRecord.CreateText("rec-" + i, "text " + i)).ToList();

    private static Dictionary<string, int> Count(HashSplitter splitter, IEnumerable<DataRecord> records) =>
        records.GroupBy(splitter.GetSplit).ToDictionary(g => g.Key, g => g.Count());
}
