namespace Aigc.Data;

/// <summary>The outcome of <see cref="DataPipeline.RunAsync"/>.</summary>
/// <param name="Manifest">The dataset version the pipeline produced or found.</param>
/// <param name="Reused">Whether a stored version with the same fingerprint was reused instead of running the steps.</param>
public sealed record DataPipelineResult(DatasetManifest Manifest, bool Reused);
