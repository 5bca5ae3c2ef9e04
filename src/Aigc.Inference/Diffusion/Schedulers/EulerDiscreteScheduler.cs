namespace Aigc.Inference;

/// <summary>
/// Euler (diffusers <c>EulerDiscreteScheduler</c>, no churn) and Euler ancestral
/// (<c>EulerAncestralDiscreteScheduler</c>) on the σ scale: x_t = x₀ + σ_t·ε. Default spacing <c>linspace</c>.
/// </summary>
/// <remarks>
/// The model sees x / √(σ² + 1). x̂₀ = x − σ·ε (epsilon), ε·(−σ/√(σ²+1)) + x/(σ²+1) (v_prediction) or the output
/// (sample); d = (x − x̂₀)/σ. Euler: x' = x + d·(σ_next − σ). Ancestral: σ_up = √(σ_next²·(σ² − σ_next²)/σ²),
/// σ_down = √(σ_next² − σ_up²), x' = x + d·(σ_down − σ) + σ_up·z with z drawn from the request's generator.
/// <c>init_noise_sigma</c> is max σ for linspace and trailing spacing, √(max σ² + 1) for leading.
/// </remarks>
internal sealed class EulerDiscreteScheduler : DiffusionScheduler
{
    private readonly double[] _sigmas;
    private readonly bool _ancestral;
    private float[] _noise = [];

    public EulerDiscreteScheduler(SchedulerConfig config, int steps, bool ancestral)
        : base(config, steps)
    {
        _ancestral = ancestral;
        var spacing = config.Spacing("linspace");
        Timesteps = NoiseSchedule.Timesteps(spacing, config.NumTrainTimesteps, steps, spacing == "leading" ? config.StepsOffset : 0);
        _sigmas = SigmaSchedule.Build(AlphasCumprod, Timesteps);
        var max = 0.0;
        foreach (var sigma in _sigmas)
        {
            max = Math.Max(max, sigma);
        }

        InitNoiseSigma = spacing is "linspace" or "trailing" ? max : Math.Sqrt((max * max) + 1);
    }

    public override double InitNoiseSigma { get; }

    /// <summary>Gets σ of each step followed by the final 0.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    public override double InputScale(int step) => 1 / Math.Sqrt((_sigmas[step] * _sigmas[step]) + 1);

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> sample, GaussianNoise noise)
    {
        var sigma = _sigmas[step];
        var next = _sigmas[step + 1];
        double dt;
        var up = 0.0;
        if (_ancestral)
        {
            up = Math.Sqrt(next * next * ((sigma * sigma) - (next * next)) / (sigma * sigma));
            var down = Math.Sqrt((next * next) - (up * up));
            dt = down - sigma;
            if (_noise.Length != sample.Length)
            {
                _noise = new float[sample.Length];
            }

            noise.Fill(_noise);
        }
        else
        {
            dt = next - sigma;
        }

        var vScale = -sigma / Math.Sqrt((sigma * sigma) + 1);
        var vSkip = 1 / ((sigma * sigma) + 1);
        var prediction = Config.PredictionType;
        for (var i = 0; i < sample.Length; i++)
        {
            double x = sample[i];
            double output = modelOutput[i];
            var x0 = prediction switch
            {
                "epsilon" => x - (sigma * output),
                "v_prediction" => (output * vScale) + (x * vSkip),
                _ => output,
            };
            var derivative = (x - x0) / sigma;
            var updated = x + (derivative * dt);
            if (_ancestral)
            {
                updated += _noise[i] * up;
            }

            sample[i] = (float)updated;
        }
    }

    public override void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int step)
    {
        var sigma = _sigmas[step];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (float)(sample[i] + (noise[i] * sigma));
        }
    }
}
