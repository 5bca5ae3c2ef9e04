namespace Aigc.Inference;

/// <summary>
/// The denoising schedulers a <see cref="DiffusionPipeline"/> runs, each following the diffusers class of the same name
/// and reading its settings from the model's <c>scheduler/scheduler_config.json</c>.
/// </summary>
public enum DiffusionSchedulerKind
{
    /// <summary>DDIM (diffusers <c>DDIMScheduler</c>), deterministic (η = 0).</summary>
    Ddim,

    /// <summary>Euler (diffusers <c>EulerDiscreteScheduler</c>), deterministic (no churn).</summary>
    EulerDiscrete,

    /// <summary>Euler ancestral (diffusers <c>EulerAncestralDiscreteScheduler</c>): adds fresh noise each step, drawn from the request's seed.</summary>
    EulerAncestralDiscrete,

    /// <summary>DPM-Solver++ 2M (diffusers <c>DPMSolverMultistepScheduler</c> with <c>algorithm_type="dpmsolver++"</c>, <c>solver_order=2</c>, midpoint).</summary>
    DpmSolverMultistep,
}
