using System.Diagnostics;

namespace Aigc.Data;

/// <summary>The <c>Aigc.Data</c> activity source and the names of its spans and attributes (kept in one place: they may change).</summary>
public static class DataTelemetry
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "Aigc.Data";

    /// <summary>The span of one <see cref="DataPipeline.RunAsync"/>: <c>data.pipeline {dataset}</c>.</summary>
    public const string PipelineRun = "data.pipeline";

    /// <summary>The dataset's name (attribute).</summary>
    public const string DatasetName = "aigc.dataset.name";

    /// <summary>The version produced or reused (attribute).</summary>
    public const string DatasetVersion = "aigc.dataset.version";

    /// <summary>The pipeline's fingerprint (attribute).</summary>
    public const string Fingerprint = "aigc.dataset.fingerprint";

    /// <summary>Whether a stored version with the same fingerprint was reused instead of recomputed (attribute).</summary>
    public const string Reused = "aigc.dataset.reused";

    /// <summary>Records kept (attribute).</summary>
    public const string Kept = "aigc.dataset.records.kept";

    /// <summary>Records rejected, with their reasons in the rejects file (attribute).</summary>
    public const string Rejected = "aigc.dataset.records.rejected";

    /// <summary>Records dropped as duplicates (attribute).</summary>
    public const string Deduplicated = "aigc.dataset.records.deduplicated";

    /// <summary>The event added per step when a run completes, with the step's id, version and counts.</summary>
    public const string StepEvent = "data.step";

    internal static readonly ActivitySource Source = new(SourceName);
}
