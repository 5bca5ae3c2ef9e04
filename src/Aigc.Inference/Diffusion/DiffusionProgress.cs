namespace Aigc.Inference;

/// <summary>A request's progress, reported after each denoising step.</summary>
/// <param name="Step">The steps done so far, from 1.</param>
/// <param name="TotalSteps">The steps the request runs.</param>
public readonly record struct DiffusionProgress(int Step, int TotalSteps);
