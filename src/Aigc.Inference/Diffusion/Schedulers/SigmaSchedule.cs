namespace Aigc.Inference;

/// <summary>The σ of each step (interpolated at the step's timestep) followed by a final σ = 0, as the Euler and DPM-Solver schedulers build it.</summary>
internal static class SigmaSchedule
{
    /// <summary>σ(t_i) for every timestep, then 0.</summary>
    public static double[] Build(double[] alphasCumprod, double[] timesteps)
    {
        var sigmas = new double[timesteps.Length + 1];
        for (var i = 0; i < timesteps.Length; i++)
        {
            sigmas[i] = NoiseSchedule.Sigma(alphasCumprod, timesteps[i]);
        }

        return sigmas;
    }
}
