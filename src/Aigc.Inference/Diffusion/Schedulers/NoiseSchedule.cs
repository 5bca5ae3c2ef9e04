namespace Aigc.Inference;

/// <summary>
/// The formulas the diffusers schedulers share: the β schedules, ᾱ, σ(t) = √((1 − ᾱ_t) / ᾱ_t) with linear
/// interpolation between integer timesteps (<c>np.interp</c>), and the three timestep spacings. Everything is computed
/// in double precision (diffusers computes β and ᾱ in float32; the two agree to about 1e-6 relative).
/// </summary>
internal static class NoiseSchedule
{
    /// <summary>β_t, t = 0 … T − 1: <c>linear</c> = linspace(β_start, β_end), <c>scaled_linear</c> = linspace(√β_start, √β_end)², <c>squaredcos_cap_v2</c> = the cosine schedule capped at 0.999.</summary>
    public static double[] Betas(SchedulerConfig config)
    {
        if (config.TrainedBetas is { } trained)
        {
            return (double[])trained.Clone();
        }

        var count = config.NumTrainTimesteps;
        var betas = new double[count];
        switch (config.BetaSchedule)
        {
            case "linear":
                for (var i = 0; i < count; i++)
                {
                    betas[i] = Lerp(config.BetaStart, config.BetaEnd, i, count);
                }

                break;
            case "scaled_linear":
                for (var i = 0; i < count; i++)
                {
                    var root = Lerp(Math.Sqrt(config.BetaStart), Math.Sqrt(config.BetaEnd), i, count);
                    betas[i] = root * root;
                }

                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    betas[i] = Math.Min(1 - (CosineAlphaBar((i + 1.0) / count) / CosineAlphaBar((double)i / count)), 0.999);
                }

                break;
        }

        return betas;
    }

    /// <summary>ᾱ_t = ∏_{s ≤ t} (1 − β_s).</summary>
    public static double[] AlphasCumprod(SchedulerConfig config)
    {
        var betas = Betas(config);
        var product = 1.0;
        for (var i = 0; i < betas.Length; i++)
        {
            product *= 1 - betas[i];
            betas[i] = product;
        }

        return betas;
    }

    /// <summary>σ at a (possibly fractional) timestep: √((1 − ᾱ)/ᾱ) interpolated linearly between the integer timesteps around it.</summary>
    public static double Sigma(double[] alphasCumprod, double timestep)
    {
        var last = alphasCumprod.Length - 1;
        if (timestep <= 0)
        {
            return SigmaAt(alphasCumprod, 0);
        }

        if (timestep >= last)
        {
            return SigmaAt(alphasCumprod, last);
        }

        var low = (int)Math.Floor(timestep);
        var fraction = timestep - low;
        var a = SigmaAt(alphasCumprod, low);
        return fraction == 0 ? a : a + ((SigmaAt(alphasCumprod, low + 1) - a) * fraction);
    }

    /// <summary>σ at an integer timestep.</summary>
    public static double SigmaAt(double[] alphasCumprod, int timestep) => Math.Sqrt((1 - alphasCumprod[timestep]) / alphasCumprod[timestep]);

    /// <summary>
    /// The timesteps of <paramref name="steps"/> inference steps, largest first, before rounding:
    /// <c>leading</c> = (i · ⌊T/n⌋) reversed + offset, <c>trailing</c> = round(T − i · T/n) − 1,
    /// <c>linspace</c> = linspace(0, T − 1, n) reversed.
    /// </summary>
    public static double[] Timesteps(string spacing, int trainSteps, int steps, int offset)
    {
        var timesteps = new double[steps];
        switch (spacing)
        {
            case "leading":
                var ratio = trainSteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[steps - 1 - i] = ((double)i * ratio) + offset;
                }

                break;
            case "trailing":
                var stride = (double)trainSteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[i] = Math.Round(trainSteps - (i * stride), MidpointRounding.ToEven) - 1;
                }

                break;
            default:
                for (var i = 0; i < steps; i++)
                {
                    timesteps[steps - 1 - i] = steps == 1 ? 0 : (trainSteps - 1) * (double)i / (steps - 1);
                }

                break;
        }

        return timesteps;
    }

    /// <summary>Rounds every timestep half to even, as NumPy's <c>round</c> does.</summary>
    public static double[] Rounded(double[] timesteps)
    {
        for (var i = 0; i < timesteps.Length; i++)
        {
            timesteps[i] = Math.Round(timesteps[i], MidpointRounding.ToEven);
        }

        return timesteps;
    }

    private static double Lerp(double start, double end, int i, int count) => count == 1 ? start : start + ((end - start) * i / (count - 1));

    private static double CosineAlphaBar(double t)
    {
        var c = Math.Cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }
}
