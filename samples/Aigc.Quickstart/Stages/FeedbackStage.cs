using System.Globalization;
using Aigc;
using Aigc.Data;
using Aigc.Monitoring;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage: simulated users rate the served answers in the Monitoring feedback store — thumbs up for an answer in the
/// Aurora style, thumbs down with the catalog's description as the correction otherwise; for a few products two
/// answers are rated 1–5 — and the feedback is exported as new dataset versions (corrections → instruction records,
/// rated pairs → preference records) for the next training run. Feedback ids are stable, so a second run adds
/// nothing and reuses the exported versions.
/// </summary>
internal static class FeedbackStage
{
    public static async Task<FeedbackExportResult> RunAsync(IFeedbackStore feedback, FeedbackDatasetExporter exporter, ServeOutcome served, DatasetReference trainingDataset, QuickstartSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var version = served.Version.Version!.Value.ToString(CultureInfo.InvariantCulture);
        var records = new List<FeedbackRecord>();
        foreach (var response in served.Responses)
        {
            var liked = QualityScore.IsAurora(response.Text);
            records.Add(Record($"qs-{version}-thumbs-{response.Request.Index}", FeedbackNames.Thumbs, FeedbackValue.Boolean(liked), response, served, time) with
            {
                Correction = liked ? null : response.Request.Record.GetField(FieldNames.Output),
            });
        }

        // Two answers to the same product, rated: the style and the closeness to the catalog text decide the stars.
        var chrF = new ChrFScorer();
        foreach (var pair in served.Responses.GroupBy(r => r.Request.Record.Id).Where(g => g.Count() >= 2).Take(settings.RatedPairs))
        {
            foreach (var response in pair.Take(2))
            {
                var closeness = chrF.SentenceScore(response.Text, [response.Request.Record.GetField(FieldNames.Output)!]).Score;
                var stars = Math.Clamp(1 + (QualityScore.IsAurora(response.Text) ? 2 : 0) + (int)(closeness / 25), 1, 5);
                records.Add(Record($"qs-{version}-rating-{response.Request.Index}", FeedbackNames.Rating, FeedbackValue.Numeric(stars), response, served, time));
            }
        }

        #region feedback
        var added = await feedback.AddRangeAsync(records, cancellationToken);
        var export = await exporter.ExportAsync(
            new FeedbackExportRequest { ModelName = served.Version.Name, ModelVersion = version, TrainingDataset = trainingDataset },
            cancellationToken);
        #endregion

        var thumbsDown = records.Count(r => r.Name == FeedbackNames.Thumbs && r.Value.AsBoolean == false);
        Console.WriteLine($"  recorded        {records.Count} feedback records ({added} new): {thumbsDown} thumbs down with a correction, {records.Count(r => r.Name == FeedbackNames.Thumbs) - thumbsDown} thumbs up, {records.Count(r => r.Name == FeedbackNames.Rating)} ratings");
        Console.WriteLine($"  exported        {Describe(export.Instructions, export.InstructionsReused, "instruction")}");
        Console.WriteLine($"  exported        {Describe(export.Preferences, export.PreferencesReused, "preference")}");
        return export;
    }

    private static FeedbackRecord Record(string id, string name, FeedbackValue value, ServedResponse response, ServeOutcome served, TimeProvider time) => new()
    {
        Id = id,
        ModelName = served.Version.Name,
        ModelVersion = served.Version.Version!.Value.ToString(CultureInfo.InvariantCulture),
        Name = name,
        Value = value,
        Prompt = HeldOut.Prompt(response.Request.Record),
        Response = response.Text,
        CreatedAt = time.GetUtcNow(),
        Source = FeedbackSource.Api,
    };

    private static string Describe(DatasetManifest? manifest, bool reused, string kind) => manifest is null
        ? $"no {kind} records (nothing to export)"
        : $"{manifest.Name} v{manifest.Version}: {manifest.Counts.Kept} {kind} records ({(reused ? "reused: same fingerprint" : "new dataset version")})";
}
