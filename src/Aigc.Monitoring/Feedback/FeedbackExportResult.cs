namespace Aigc.Monitoring;

/// <summary>What <see cref="FeedbackDatasetExporter.ExportAsync"/> produced.</summary>
/// <param name="FeedbackRead">The feedback records of the model version that were read.</param>
/// <param name="Instructions">The instruction dataset version, or <see langword="null"/> when no feedback yielded an instruction record.</param>
/// <param name="Preferences">The preference dataset version, or <see langword="null"/> when no prompt yielded a preference pair.</param>
/// <param name="InstructionsReused">Whether <paramref name="Instructions"/> already existed with the same content (nothing was written).</param>
/// <param name="PreferencesReused">Whether <paramref name="Preferences"/> already existed with the same content (nothing was written).</param>
public sealed record FeedbackExportResult(int FeedbackRead, DatasetManifest? Instructions, DatasetManifest? Preferences, bool InstructionsReused, bool PreferencesReused);
