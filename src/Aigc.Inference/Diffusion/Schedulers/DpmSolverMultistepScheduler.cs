namespace Aigc.Inference;

/// <summary>
/// DPM-Solver++ 2M (diffusers <c>DPMSolverMultistepScheduler</c> with its defaults: <c>algorithm_type="dpmsolver++"</c>,
/// <c>solver_order=2</c>, <c>solver_type="midpoint"</c>, <c>lower_order_final=true</c>, <c>final_sigmas_type="zero"</c>).
/// Default spacing <c>linspace</c> over n + 1 points with the last dropped.
/// </summary>
/// <remarks>
/// With α = 1/√(σ²+1), s = σ·α, λ = ln α − ln s: the data prediction x̂₀ = (x − s·ε)/α (epsilon), α·x − s·v
/// (v_prediction) or the output (sample). First order: x' = (s_t/s_0)·x − α_t·(e^{−h} − 1)·x̂₀ with h = λ_t − λ_0.
/// Second order (midpoint): r = (λ_0 − λ_{−1})/h, D₁ = (x̂₀ − x̂₀₋₁)/r,
/// x' = (s_t/s_0)·x − α_t·(e^{−h} − 1)·x̂₀ − ½·α_t·(e^{−h} − 1)·D₁. The first step, and the last (σ = 0), are first order;
/// with fewer than 15 steps the second-to-last is too.
/// </remarks>
internal sealed class DpmSolverMultistepScheduler : DiffusionScheduler
{
    private readonly double[] _sigmas;
    private float[]? _previous;
    private float[]? _current;
    private int _lowerOrderCount;

    public DpmSolverMultistepScheduler(SchedulerConfig config, int steps)
        : base(config, steps)
    {
        var spacing = config.Spacing("linspace");
        var train = config.NumTrainTimesteps;
        Timesteps = spacing switch
        {
            "trailing" => NoiseSchedule.Timesteps(spacing, train, steps, 0),
            _ => NoiseSchedule.Rounded(NoiseSchedule.Timesteps(spacing, train, steps + 1, spacing == "leading" ? config.StepsOffset : 0))[..steps],
        };
        _sigmas = SigmaSchedule.Build(AlphasCumprod, Timesteps);
    }

    public override double InitNoiseSigma => 1.0;

    /// <summary>Gets σ of each step followed by the final 0.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> sample, GaussianNoise noise)
    {
        var count = Timesteps.Length;
        var lowerFinal = step == count - 1;
        var lowerSecond = step == count - 2 && count < 15;

        // The data prediction at this step becomes the newest history entry.
        (_previous, _current) = (_current, _previous);
        _current ??= new float[sample.Length];
        var (alpha0, s0) = AlphaSigma(_sigmas[step]);
        var prediction = Config.PredictionType;
        for (var i = 0; i < sample.Length; i++)
        {
            double x = sample[i];
            double output = modelOutput[i];
            _current[i] = (float)(prediction switch
            {
                "epsilon" => (x - (s0 * output)) / alpha0,
                "v_prediction" => (alpha0 * x) - (s0 * output),
                _ => output,
            });
        }

        var (alphaT, sT) = AlphaSigma(_sigmas[step + 1]);
        var lambdaT = Math.Log(alphaT) - Math.Log(sT);
        var lambda0 = Math.Log(alpha0) - Math.Log(s0);
        var h = lambdaT - lambda0;
        var ratio = sT / s0;
        var phi = alphaT * (Math.Exp(-h) - 1);
        if (_lowerOrderCount < 1 || lowerFinal || lowerSecond)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = (float)((ratio * sample[i]) - (phi * _current[i]));
            }
        }
        else
        {
            var (alpha1, s1) = AlphaSigma(_sigmas[step - 1]);
            var lambda1 = Math.Log(alpha1) - Math.Log(s1);
            var r = (lambda0 - lambda1) / h;
            for (var i = 0; i < sample.Length; i++)
            {
                double d0 = _current[i];
                var d1 = (d0 - _previous![i]) / r;
                sample[i] = (float)((ratio * sample[i]) - (phi * d0) - (0.5 * phi * d1));
            }
        }

        if (_lowerOrderCount < 2)
        {
            _lowerOrderCount++;
        }
    }

    public override void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int step)
    {
        var (alpha, sigma) = AlphaSigma(_sigmas[step]);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (float)((alpha * sample[i]) + (sigma * noise[i]));
        }
    }

    private static (double Alpha, double Sigma) AlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt((sigma * sigma) + 1);
        return (alpha, sigma * alpha);
    }
}
