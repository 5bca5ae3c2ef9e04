using System.Text.Json;
using Xunit.Abstractions;

namespace Aigc.Data.Tests.Dedup;

public sealed class MinHashDedupStepTests(ITestOutputHelper output)
{
    private static readonly Lazy<SyntheticCorpus> Corpus = new(() => SyntheticCorpus.Create(seed: 7, families: 80, nearPerFamily: 3, farPerFamily: 3, unrelated: 100));

    [Fact]
    public async Task Finds_near_duplicates_with_high_recall_and_few_false_positives()
    {
        var corpus = Corpus.Value;
        var clusters = await ClusterAsync(corpus, new MinHashDedupOptions { Mode = MinHashDedupMode.Tag });

        var (recall, falseRateRelated, falseRateAll) = Measure(corpus, clusters);
        Assert.True(recall >= 0.9, $"Recall {recall:P2} over pairs with J >= 0.8 is below 90 %.");
        Assert.True(falseRateRelated <= 0.05, $"{falseRateRelated:P2} of the related pairs with J <= 0.5 were clustered.");
        Assert.True(falseRateAll <= 0.05, $"{falseRateAll:P4} of all pairs with J <= 0.5 were clustered.");
    }

    [Fact]
    public async Task Without_verification_recall_still_meets_the_goal()
    {
        var corpus = Corpus.Value;
        var clusters = await ClusterAsync(corpus, new MinHashDedupOptions { Mode = MinHashDedupMode.Tag, VerificationThreshold = 0 });
        var (recall, falseRateRelated, _) = Measure(corpus, clusters);
        output.WriteLine($"without verification: recall {recall:P2}, false positives among related pairs with J <= 0.5 {falseRateRelated:P2}");
        Assert.True(recall >= 0.9, $"Recall {recall:P2} is below 90 %.");
    }

    [Fact]
    public async Task Survivors_are_the_same_across_runs_threads_and_batch_sizes()
    {
        var corpus = Corpus.Value;
        var records = ToRecords(corpus);
        var first = await RemoveAsync(records, new MinHashDedupOptions { MaxDegreeOfParallelism = 1, BatchSize = 7 });
        var second = await RemoveAsync(records, new MinHashDedupOptions { MaxDegreeOfParallelism = 4, BatchSize = 2048 });
        var third = await RemoveAsync(records, new MinHashDedupOptions { MaxDegreeOfParallelism = 2, BatchSize = 100 });

        Assert.Equal(first.Ids, second.Ids);
        Assert.Equal(first.Ids, third.Ids);
        Assert.Equal(first.Report, second.Report);
        Assert.True(first.Ids.Count < records.Count);
    }

    [Fact]
    public async Task Keeps_the_first_record_of_each_cluster_and_counts_reconcile()
    {
        var temp = DedupTestData.NewTempDirectory();
        var context = new DataStepContext("dedup.minhash", tempDirectory: temp);
        var text = string.Join(' ', Enumerable.Range(0, 60).Select(i => "word" + i));
        var records = new List<DataRecord>
        {
            DataRecord.CreateText("a", "completely different words live here and nowhere else at all today"),
            DataRecord.CreateText("b", text),
            DataRecord.CreateText("c", text.ToUpperInvariant() + "!"),
            DataRecord.CreateText("d", "  " + text.Replace(" ", ",  ")),
            DataRecord.CreateText("e", text + " word60"),
        };

        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(), records, context);

        Assert.Equal(["a", "b"], kept.Select(r => r.Id));
        Assert.Equal(records.Count, kept.Count + context.DuplicateCount);
        Assert.Equal(3, context.DuplicateCount);
        Assert.Equal(1, context.Counters[MinHashDedupStep.ClustersCounter]);
        Assert.Equal(3, context.Counters[MinHashDedupStep.DuplicatesCounter]);
        Assert.Empty(Directory.EnumerateFiles(temp));
    }

    [Fact]
    public async Task Writes_a_cluster_report()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var records = new List<DataRecord>();
        var big = string.Join(' ', Enumerable.Range(0, 40).Select(i => "alpha" + i));
        var small = string.Join(' ', Enumerable.Range(0, 40).Select(i => "beta" + i));
        for (var i = 0; i < 5; i++)
        {
            records.Add(DataRecord.CreateText("big" + i, big));
            if (i < 2)
            {
                records.Add(DataRecord.CreateText("small" + i, small));
            }

            records.Add(DataRecord.CreateText("single" + i, string.Join(' ', Enumerable.Range(0, 40).Select(k => $"gamma{i}x{k}"))));
        }

        await DedupTestData.RunAsync(new MinHashDedupStep(), records, context);

        var json = System.Text.Encoding.UTF8.GetString(context.Reports[MinHashDedupStep.ReportName].Span);
        Assert.Contains("\"mode\": \"Remove\"", json);
        Assert.Contains("\"sizeHistogram\": {", json);
        var report = JsonSerializer.Deserialize<MinHashClusterReport>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(12, report.Records);
        Assert.Equal(2, report.Clusters);
        Assert.Equal(5, report.Duplicates);
        Assert.Equal(MinHashDedupMode.Remove, report.Mode);
        Assert.Equal(new Dictionary<int, long> { [2] = 1, [5] = 1 }, report.SizeHistogram);
        Assert.Equal(2, report.LargestClusters.Count);
        Assert.Equal("big0", report.LargestClusters[0].ClusterId);
        Assert.Equal(5, report.LargestClusters[0].Size);
        Assert.Equal(["big0", "big1", "big2", "big3", "big4"], report.LargestClusters[0].MemberIds);
        Assert.Equal(["small0", "small1"], report.LargestClusters[1].MemberIds);
    }

    [Fact]
    public async Task Tag_mode_keeps_every_record_and_writes_cluster_ids()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var text = string.Join(' ', Enumerable.Range(0, 30).Select(i => "token" + i));
        var records = new List<DataRecord>
        {
            DataRecord.CreateText("x", "one two three four five six seven eight"),
            DataRecord.CreateText("y", text),
            DataRecord.CreateText("z", text + "."),
        };

        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(new MinHashDedupOptions { Mode = MinHashDedupMode.Tag }), records, context);

        Assert.Equal(["x", "y", "z"], kept.Select(r => r.Id));
        Assert.Equal(["x", "y", "y"], kept.Select(r => r.Metadata[MinHashDedupStep.ClusterMetadataKey]));
        Assert.Equal(0, context.DuplicateCount);
        Assert.Equal(1, context.Counters[MinHashDedupStep.DuplicatesCounter]);
    }

    [Fact]
    public async Task Short_texts_are_one_shingle_and_empty_texts_are_never_duplicates()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var records = DedupTestData.Texts("hello world", "Hello, WORLD!", "hello there", "", "  ...  ", "");

        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(), records, context);

        Assert.Equal(["r0", "r2", "r3", "r4", "r5"], kept.Select(r => r.Id));
    }

    [Fact]
    public async Task Cjk_characters_are_words_of_their_own()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var records = DedupTestData.Texts(
            "我们今天在公园里散步，天气非常好，阳光明媚，孩子们在草地上玩耍，老人们在树下下棋。",
            "我们今天在公园里散步，天气非常好，阳光明媚，孩子们在草地上玩耍，老人们在树下下棋！",
            "他们明天要去图书馆学习，准备下个月的考试，希望能够取得好成绩，然后去旅行放松一下。");

        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(), records, context);

        Assert.Equal(["r0", "r2"], kept.Select(r => r.Id));
    }

    [Fact]
    public async Task Records_come_back_whole_through_the_spill_file()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var chat = DataRecord.CreateChat("c1", ("system", "Be brief."), ("user", "Line one\nline \"two\" — ünïcödé 🎉"), ("assistant", "ok"));
        chat.Source = new RecordSource("in/chat.jsonl", 42);
        chat.Labels["topic"] = "greeting";
        chat.Metadata["lang"] = "en";
        var image = DataRecord.CreateImageCaption("i1", "images/cat.png", "a cat on a mat");
        var instruction = DataRecord.CreateInstruction("n1", "Add", "2 and 3", "5");

        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(), [chat, image, instruction], context);

        Assert.Equal(3, kept.Count);
        Assert.Equal(DataRecordJson.Serialize(chat), DataRecordJson.Serialize(kept[0]));
        Assert.Equal(RecordKind.Chat, kept[0].Kind);
        Assert.Equal(new RecordSource("in/chat.jsonl", 42), kept[0].Source);
        Assert.Equal(RecordKind.ImageCaption, kept[1].Kind);
        Assert.Equal("images/cat.png", kept[1].ImagePath);
        Assert.Null(kept[1].Source);
        Assert.Equal(DataRecordJson.Serialize(instruction), DataRecordJson.Serialize(kept[2]));
    }

    [Fact]
    public async Task Spill_file_is_removed_when_the_source_fails()
    {
        var temp = DedupTestData.NewTempDirectory();
        var context = new DataStepContext("dedup.minhash", tempDirectory: temp);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in new MinHashDedupStep(new MinHashDedupOptions { BatchSize = 3 }).ExecuteAsync(FailingSource(10), context))
            {
            }
        });

        Assert.Equal("source broke", error.Message);
        Assert.True(Directory.Exists(temp));
        Assert.Empty(Directory.EnumerateFiles(temp));
    }

    [Fact]
    public async Task Spill_file_is_removed_when_cancelled_or_abandoned()
    {
        var temp = DedupTestData.NewTempDirectory();
        var records = ToRecords(Corpus.Value);
        using var cancellation = new CancellationTokenSource();
        var step = new MinHashDedupStep(new MinHashDedupOptions { BatchSize = 50 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in step.ExecuteAsync(CancelAfter(records, 120, cancellation), new DataStepContext("dedup.minhash", tempDirectory: temp), cancellation.Token))
            {
            }
        });
        Assert.Empty(Directory.EnumerateFiles(temp));

        await foreach (var _ in step.ExecuteAsync(DedupTestData.Stream(records), new DataStepContext("dedup.minhash", tempDirectory: temp)))
        {
            Assert.Single(Directory.EnumerateFiles(temp));
            break;
        }

        Assert.Empty(Directory.EnumerateFiles(temp));
    }

    [Fact]
    public async Task An_instance_can_run_twice_with_the_same_result()
    {
        var step = new MinHashDedupStep();
        var records = ToRecords(Corpus.Value);
        var first = await DedupTestData.RunAsync(step, records, new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory()));
        var second = await DedupTestData.RunAsync(step, records, new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory()));
        Assert.Equal(first.Select(r => r.Id), second.Select(r => r.Id));
    }

    [Fact]
    public void Parameters_hold_every_setting_that_changes_the_output()
    {
        var step = new MinHashDedupStep(new MinHashDedupOptions { NGramSize = 3, Bands = 20, RowsPerBand = 5, Seed = 9, VerificationThreshold = 0.5, Mode = MinHashDedupMode.Tag, MaxDegreeOfParallelism = 3 });
        Assert.Equal("dedup.minhash", step.Id);
        Assert.Equal(1, step.Version);
        Assert.Equal(
            new Dictionary<string, string> { ["bands"] = "20", ["mode"] = "Tag", ["nGramSize"] = "3", ["rowsPerBand"] = "5", ["seed"] = "9", ["verificationThreshold"] = "0.5" },
            step.Parameters);
        Assert.Equal(new MinHashDedupStep().Parameters, new MinHashDedupStep(new MinHashDedupOptions { MaxDegreeOfParallelism = 1, BatchSize = 3 }).Parameters);
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var error = Assert.Throws<ArgumentException>(() => new MinHashDedupStep(new MinHashDedupOptions { NGramSize = 0, Bands = 0, VerificationThreshold = 1.5, BatchSize = 0, MaxDegreeOfParallelism = 0, Mode = (MinHashDedupMode)7 }));
        Assert.Contains("NGramSize", error.Message);
        Assert.Contains("Bands", error.Message);
        Assert.Contains("VerificationThreshold", error.Message);
        Assert.Contains("BatchSize", error.Message);
        Assert.Contains("MaxDegreeOfParallelism", error.Message);
        Assert.Contains("Mode", error.Message);
        Assert.Throws<ArgumentNullException>(() => new MinHashDedupStep().ExecuteAsync(null!, new DataStepContext("x")));
    }

    private (double Recall, double FalseRateRelated, double FalseRateAll) Measure(SyntheticCorpus corpus, string[] clusters)
    {
        int high = 0, found = 0, border = 0, borderFound = 0, lowRelated = 0, falseRelated = 0;
        long lowAll = 0, falseAll = 0;
        for (var i = 0; i < corpus.Count; i++)
        {
            for (var j = i + 1; j < corpus.Count; j++)
            {
                var similarity = corpus.Similarity(i, j);
                var together = clusters[i] == clusters[j];
                if (similarity >= 0.8)
                {
                    high++;
                    found += together ? 1 : 0;
                    if (similarity < 0.85)
                    {
                        border++;
                        borderFound += together ? 1 : 0;
                    }
                }
                else if (similarity <= 0.5)
                {
                    lowAll++;
                    falseAll += together ? 1 : 0;
                    if (corpus.Families[i] >= 0 && corpus.Families[i] == corpus.Families[j])
                    {
                        lowRelated++;
                        falseRelated += together ? 1 : 0;
                    }
                }
            }
        }

        output.WriteLine($"pairs J >= 0.8: {high} ({border} below 0.85), found {found} ({borderFound}); related pairs J <= 0.5: {lowRelated}, clustered {falseRelated}; all pairs J <= 0.5: {lowAll}, clustered {falseAll}");
        Assert.True(border > 50, $"The corpus should have many pairs with 0.8 <= J < 0.85 (has {border}).");
        Assert.True(lowRelated > 200, $"The corpus should have many related pairs with J <= 0.5 (has {lowRelated}).");
        return ((double)found / high, (double)falseRelated / lowRelated, (double)falseAll / lowAll);
    }

    private static List<DataRecord> ToRecords(SyntheticCorpus corpus) =>
        corpus.Texts.Select((text, i) => DataRecord.CreateText("d" + i, text)).ToList();

    private static async Task<string[]> ClusterAsync(SyntheticCorpus corpus, MinHashDedupOptions options)
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(options), ToRecords(corpus), context);
        Assert.Equal(corpus.Count, kept.Count);
        return kept.Select(r => r.Metadata[MinHashDedupStep.ClusterMetadataKey]).ToArray();
    }

    private static async Task<(List<string> Ids, string Report)> RemoveAsync(List<DataRecord> records, MinHashDedupOptions options)
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory());
        var kept = await DedupTestData.RunAsync(new MinHashDedupStep(options), records.Select(r => r.Clone()), context);
        Assert.Equal(records.Count, kept.Count + context.DuplicateCount);
        return (kept.Select(r => r.Id).ToList(), System.Text.Encoding.UTF8.GetString(context.Reports[MinHashDedupStep.ReportName].Span));
    }

    private static async IAsyncEnumerable<DataRecord> FailingSource(int failAfter)
    {
        for (var i = 0; ; i++)
        {
            await Task.Yield();
            if (i == failAfter)
            {
                throw new InvalidOperationException("source broke");
            }

            yield return DataRecord.CreateText("f" + i, "some words number " + i);
        }
    }

    private static async IAsyncEnumerable<DataRecord> CancelAfter(List<DataRecord> records, int count, CancellationTokenSource cancellation)
    {
        for (var i = 0; i < records.Count; i++)
        {
            await Task.Yield();
            if (i == count)
            {
                await cancellation.CancelAsync();
            }

            yield return records[i];
        }
    }
}
