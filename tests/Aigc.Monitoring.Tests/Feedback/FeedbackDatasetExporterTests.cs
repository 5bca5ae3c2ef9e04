using Aigc.Data;
using Aigc.Monitoring;
using Microsoft.Data.Sqlite;

namespace Aigc.Monitoring.Tests.Feedback;

/// <summary>The closed loop: feedback in the SQLite store becomes dataset versions in Aigc.Data's FileDatasetStore.</summary>
public sealed class FeedbackDatasetExporterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DatasetReference TrainingData = new("support-sft", 4, new string('a', 64));
    private readonly string _directory = Directory.CreateTempSubdirectory("aigc-export-").FullName;
    private readonly SqliteFeedbackStore _feedback;
    private readonly FileDatasetStore _datasets;
    private readonly FeedbackDatasetExporter _exporter;

    public FeedbackDatasetExporterTests()
    {
        _feedback = new SqliteFeedbackStore(Path.Combine(_directory, "feedback.db"));
        _datasets = new FileDatasetStore(Path.Combine(_directory, "datasets"));
        _exporter = new FeedbackDatasetExporter(_feedback, _datasets);
    }

    [Fact]
    public async Task Thumbs_down_with_a_correction_becomes_an_instruction_record_with_lineage()
    {
        await _feedback.AddRangeAsync(
        [
            Thumbs("f1", "2", up: false, prompt: "Capital of France?", response: "Lyon", correction: "Paris"),
            Thumbs("f2", "2", up: false, prompt: "Capital of France?", response: "Lyon!", correction: "Paris"), // same pair: duplicate
            Thumbs("f3", "2", up: false, prompt: null, response: "Bern", correction: "Bern is right"), // no prompt: rejected
            Thumbs("f4", "2", up: true, prompt: "2+2?", response: "4", correction: "ignored: thumbs up"),
            Thumbs("f5", "2", up: false, prompt: "2+3?", response: "6", correction: null), // nothing to learn from
            Thumbs("f6", "1", up: false, prompt: "Other version", response: "x", correction: "y"),
        ]);

        var result = await _exporter.ExportAsync(new FeedbackExportRequest { ModelName = "writer", ModelVersion = "2", TrainingDataset = TrainingData });

        Assert.Equal(5, result.FeedbackRead);
        var manifest = result.Instructions!;
        Assert.False(result.InstructionsReused);
        Assert.Equal(RecordKind.Instruction, manifest.Kind);
        Assert.Equal(new DatasetCounts { In = 3, Kept = 1, Rejected = 1, Deduplicated = 1 }, manifest.Counts);
        Assert.Equal("2", manifest.Metadata["model.version"]);
        Assert.Equal("writer", manifest.Metadata["model.name"]);
        Assert.Equal("feedback", manifest.Metadata["source"]);
        Assert.Equal([TrainingData], manifest.Parents);
        Assert.Equal(FeedbackDatasetExporter.InstructionStepId, Assert.Single(manifest.Steps).Id);

        var record = Assert.Single(await _datasets.ReadAsync(manifest.Name, manifest.Version).ToListAsync());
        Assert.Equal("f1", record.Id);
        Assert.Equal("Capital of France?", record.GetField(FieldNames.Instruction));
        Assert.Equal("Paris", record.GetField(FieldNames.Output));
        Assert.Equal("2", record.Metadata["model.version"]);
        Assert.Equal("f1", record.Metadata["feedback.id"]);

        var dropped = await _datasets.ReadRejectsAsync(manifest.Name, manifest.Version).ToListAsync();
        var reject = Assert.Single(dropped, r => !r.Duplicate);
        Assert.Equal("f3", reject.RecordId);
        Assert.Contains("no prompt", reject.Reason, StringComparison.Ordinal);
        var duplicate = Assert.Single(dropped, r => r.Duplicate);
        Assert.Equal(("f2", "f1", "duplicate of f1"), (duplicate.RecordId, duplicate.DuplicateOf, duplicate.Reason));
    }

    [Fact]
    public async Task Two_rated_answers_to_one_prompt_become_a_preference_record()
    {
        await _feedback.AddRangeAsync(
        [
            Rating("r1", "Explain DNS.", "DNS maps names to addresses.", 5),
            Rating("r2", "Explain DNS.", "DNS maps names to addresses.", 4),
            Rating("r3", "Explain DNS.", "It is a protocol.", 2),
            Rating("r4", "Explain TCP.", "Only one answer rated.", 5), // no pair
            Rating("r5", "Explain UDP.", "Answer A", 4), // margin 0.5 < 1: no pair
            Rating("r6", "Explain UDP.", "Answer B", 3.5),
            Thumbs("t1", "2", up: true, prompt: "Say hi.", response: "Hello!", correction: null),
            Thumbs("t2", "2", up: false, prompt: "Say hi.", response: "Go away.", correction: null),
        ]);

        var result = await _exporter.ExportAsync(new FeedbackExportRequest { ModelName = "writer", ModelVersion = "2" });

        var manifest = result.Preferences!;
        Assert.Equal(RecordKind.Preference, manifest.Kind);
        Assert.Equal(new DatasetCounts { Added = 2, Kept = 2 }, manifest.Counts);
        Assert.Empty(manifest.Parents);
        var records = await _datasets.ReadAsync(manifest.Name, manifest.Version).ToListAsync();
        Assert.Equal(2, records.Count);
        Assert.Equal(("Explain DNS.", "DNS maps names to addresses.", "It is a protocol."), Fields(records[0]));
        Assert.Equal("4.5", records[0].Metadata["chosen.score"]);
        Assert.Equal(FeedbackNames.Rating, records[0].Metadata["feedback.name"]);
        Assert.Equal(("Say hi.", "Hello!", "Go away."), Fields(records[1]));
        Assert.Equal(FeedbackNames.Thumbs, records[1].Metadata["feedback.name"]);
        Assert.Null(result.Instructions);
    }

    [Fact]
    public async Task Exporting_the_same_feedback_again_reuses_the_versions()
    {
        await _feedback.AddRangeAsync(
        [
            Thumbs("f1", "2", up: false, prompt: "Q", response: "bad", correction: "good"),
            Rating("r1", "Q", "bad", 1),
            Rating("r2", "Q", "better", 4),
        ]);
        var request = new FeedbackExportRequest { ModelName = "writer", ModelVersion = "2", From = T0.AddDays(-1), To = T0.AddDays(1) };

        var first = await _exporter.ExportAsync(request);
        var second = await _exporter.ExportAsync(request);

        Assert.True(second.InstructionsReused);
        Assert.True(second.PreferencesReused);
        Assert.Equal(first.Instructions!.Version, second.Instructions!.Version);
        Assert.Equal(first.Preferences!.Version, second.Preferences!.Version);
        Assert.Single(await _datasets.ListAsync(request.InstructionDatasetName).ToListAsync());
        Assert.Equal(T0.AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), first.Instructions.Metadata["feedback.from"]);

        // New feedback changes the content, so the next export writes version 2.
        await _feedback.AddAsync(Thumbs("f9", "2", up: false, prompt: "Q2", response: "bad", correction: "good too"));
        var third = await _exporter.ExportAsync(request);
        Assert.False(third.InstructionsReused);
        Assert.Equal(2, third.Instructions!.Version);
    }

    [Fact]
    public async Task No_usable_feedback_writes_nothing()
    {
        await _feedback.AddAsync(Rating("r1", "Q", "A", 3));

        var result = await _exporter.ExportAsync(new FeedbackExportRequest { ModelName = "writer", ModelVersion = "2" });

        Assert.Equal(1, result.FeedbackRead);
        Assert.Null(result.Instructions);
        Assert.Null(result.Preferences);
        Assert.Empty(await _datasets.ListAsync().ToListAsync());
    }

    public void Dispose()
    {
        _feedback.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static (string?, string?, string?) Fields(DataRecord record) =>
        (record.GetField(FieldNames.Prompt), record.GetField(FieldNames.Chosen), record.GetField(FieldNames.Rejected));

    private static FeedbackRecord Thumbs(string id, string version, bool up, string? prompt, string? response, string? correction) => new()
    {
        Id = id,
        TraceId = "trace-" + id,
        ModelName = "writer",
        ModelVersion = version,
        Name = FeedbackNames.Thumbs,
        Value = FeedbackValue.Boolean(up),
        Prompt = prompt,
        Response = response,
        Correction = correction,
        CreatedAt = T0,
    };

    private static FeedbackRecord Rating(string id, string prompt, string response, double rating) => new()
    {
        Id = id,
        ModelName = "writer",
        ModelVersion = "2",
        Name = FeedbackNames.Rating,
        Value = FeedbackValue.Numeric(rating),
        Prompt = prompt,
        Response = response,
        CreatedAt = T0,
    };
}
