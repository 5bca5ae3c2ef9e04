using Aigc.Data;

namespace Aigc.Data.Tests.Augmentation;

public sealed class AugmentPipelineTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_synonyms = new()
    {
        ["great"] = ["excellent", "superb"],
        ["bad"] = ["poor", "awful"],
    };

    private static List<DataRecord> Reviews() =>
    [
        DataRecord.CreateText("r1", "this film was great and the cast was great too"),
        DataRecord.CreateText("r2", "a bad plot with bad acting throughout the film"),
        DataRecord.CreateText("r3", "neither great nor bad just a film to watch once"),
        DataRecord.CreateText("r4", "x"),
    ];

    private static DataPipeline Pipeline(List<DataRecord> records, int seed) =>
        new DataPipeline("reviews", new InMemorySource(RecordKind.Text, records)) { Seed = seed }
            .Add(new LabelStep("sentiment",
            [
                new RegexLabeler("positive-words", [new(@"\bgreat\b", "positive")]),
                new RegexLabeler("negative-words", [new(@"\bbad\b", "negative")]),
            ]))
            .Add(new HumanLabelsStep("sentiment", new Dictionary<string, string> { ["r3"] = "neutral" }))
            .Add(new EdaAugmentStep(s_synonyms, new EdaOptions { CopiesPerRecord = 3 }))
            .Add(new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0.1 }));

    [Fact]
    public async Task Labeling_and_augmentation_reconcile_in_a_pipeline_run()
    {
        var store = new InMemoryDatasetStore();

        var result = await Pipeline(Reviews(), seed: 42).RunAsync(store);

        var counts = result.Manifest.Counts;
        Assert.True(counts.Reconciles);
        Assert.Equal(4, counts.In);
        Assert.True(counts.Added > 4);
        Assert.Equal(counts.In + counts.Added, counts.Kept);
        Assert.Equal(store.Written.Count, counts.Kept);
        Assert.Equal(counts.Added, result.Manifest.Steps.Sum(s => s.Added));

        // Ids stay unique although two augmentation steps copy the same records: the second numbers on from the first.
        var byId = store.Written.ToDictionary(r => r.Id);
        Assert.Contains("r1#aug4", byId.Keys);
        Assert.Equal("char-noise", byId["r1#aug4"].Metadata[AugmentMetadataKeys.Method]);
        Assert.Equal("4", byId["r1"].Metadata[AugmentMetadataKeys.LastCopy]);
        Assert.Equal("1", byId["r1#aug1"].Metadata[AugmentMetadataKeys.LastCopy]);
        Assert.Equal("positive", byId["r1"].Labels["sentiment"]);
        Assert.Equal("negative", byId["r2"].Labels["sentiment"]);
        Assert.Equal("neutral", byId["r3"].Labels["sentiment"]);
        Assert.False(byId["r4"].HasLabels);
        Assert.All(store.Written.Where(r => r.Id.StartsWith("r1#", StringComparison.Ordinal)), r => Assert.Equal("positive", r.Labels["sentiment"]));
        Assert.Contains(store.Written, r => r.Id.Contains("#aug", StringComparison.Ordinal) && r.Id.Count(c => c == '#') == 2);
    }

    [Fact]
    public async Task The_same_pipeline_and_seed_write_the_same_records()
    {
        var first = new InMemoryDatasetStore();
        var second = new InMemoryDatasetStore();
        var reordered = new InMemoryDatasetStore();

        await Pipeline(Reviews(), seed: 1).RunAsync(first);
        await Pipeline(Reviews(), seed: 1).RunAsync(second);
        var reversed = Reviews();
        reversed.Reverse();
        await Pipeline(reversed, seed: 1).RunAsync(reordered);

        static List<string> Lines(InMemoryDatasetStore store) => store.Written.Select(DataRecordJson.Serialize).ToList();
        Assert.Equal(Lines(first), Lines(second));
        Assert.Equal(Lines(first).Order(), Lines(reordered).Order());
    }
}
