namespace Aigc.Inference;

/// <summary>
/// DDIM with η = 0 (diffusers <c>DDIMScheduler</c>). Defaults of that class apply to fields the config leaves out:
/// <c>timestep_spacing="leading"</c>, <c>clip_sample=true</c>, <c>set_alpha_to_one=true</c>.
/// </summary>
/// <remarks>
/// With t' = t − ⌊T/n⌋, ᾱ_{t'} = ᾱ_final when t' &lt; 0 (1, or ᾱ_0 when <c>set_alpha_to_one</c> is false):
/// x̂₀ = (x − √(1−ᾱ_t)·ε)/√ᾱ_t (epsilon), √ᾱ_t·x − √(1−ᾱ_t)·v (v_prediction) or the output itself (sample);
/// ε̂ = (x − √ᾱ_t·x̂₀)/√(1−ᾱ_t); then x_{t'} = √ᾱ_{t'}·x̂₀ + √(1−ᾱ_{t'})·ε̂.
/// </remarks>
internal sealed class DdimScheduler : DiffusionScheduler
{
    private readonly int _stride;
    private readonly double _finalAlphaCumprod;
    private readonly bool _clip;

    public DdimScheduler(SchedulerConfig config, int steps)
        : base(config, steps)
    {
        var spacing = config.Spacing("leading");
        var timesteps = NoiseSchedule.Timesteps(spacing, config.NumTrainTimesteps, steps, spacing == "leading" ? config.StepsOffset : 0);
        Timesteps = NoiseSchedule.Rounded(timesteps);
        _stride = config.NumTrainTimesteps / steps;
        _finalAlphaCumprod = config.SetAlphaToOne ?? true ? 1.0 : AlphasCumprod[0];
        _clip = config.ClipSample ?? true;
    }

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> sample, GaussianNoise noise)
    {
        var t = (int)Timesteps[step];
        var previous = t - _stride;
        var alpha = AlphasCumprod[t];
        var alphaPrevious = previous >= 0 ? AlphasCumprod[previous] : _finalAlphaCumprod;
        var sqrtAlpha = Math.Sqrt(alpha);
        var sqrtBeta = Math.Sqrt(1 - alpha);
        var sqrtAlphaPrevious = Math.Sqrt(alphaPrevious);
        var direction = Math.Sqrt(1 - alphaPrevious);
        var prediction = Config.PredictionType;
        for (var i = 0; i < sample.Length; i++)
        {
            double x = sample[i];
            double output = modelOutput[i];
            double x0, epsilon;
            switch (prediction)
            {
                case "epsilon":
                    x0 = (x - (sqrtBeta * output)) / sqrtAlpha;
                    epsilon = output;
                    break;
                case "v_prediction":
                    x0 = (sqrtAlpha * x) - (sqrtBeta * output);
                    epsilon = (sqrtAlpha * output) + (sqrtBeta * x);
                    break;
                default:
                    x0 = output;
                    epsilon = (x - (sqrtAlpha * x0)) / sqrtBeta;
                    break;
            }

            if (_clip)
            {
                x0 = Math.Clamp(x0, -Config.ClipSampleRange, Config.ClipSampleRange);
            }

            sample[i] = (float)((sqrtAlphaPrevious * x0) + (direction * epsilon));
        }
    }

    public override void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int step)
    {
        var alpha = AlphasCumprod[(int)Timesteps[step]];
        var a = Math.Sqrt(alpha);
        var b = Math.Sqrt(1 - alpha);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (float)((a * sample[i]) + (b * noise[i]));
        }
    }
}
