namespace Aigc.Inference.Tests.Diffusion;

/// <summary>
/// One update of each scheduler on known inputs (x = [0.5, −1, 2], model output [0.1, −0.3, 0.7]) against the diffusers
/// formulas evaluated in double precision by a Python script (<c>math</c> only); Stable Diffusion's scaled_linear betas,
/// 10 steps, steps_offset 1, set_alpha_to_one false, clip_sample false.
/// </summary>
public sealed class SchedulerStepTests
{
    private static readonly float[] Sample = [0.5f, -1f, 2f];
    private static readonly float[] Output = [0.1f, -0.3f, 0.7f];

    [Fact]
    public void Ddim_epsilon_step_at_timestep_601()
    {
        var ddim = new DdimScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 10);
        Assert.Equal(601, ddim.Timesteps[3]);
        AssertStep(ddim, 3, [0.6207896825940251, -1.2064882870222378, 2.3778854958786635]);
    }

    [Fact]
    public void Ddim_v_prediction_step_at_timestep_601()
    {
        var ddim = new DdimScheduler(SchedulerConfig.Parse(With("\"prediction_type\": \"v_prediction\"")), 10);
        AssertStep(ddim, 3, [0.48102729223085866, -0.9480262072660168, 1.8820240373363328]);
    }

    [Fact]
    public void Ddim_last_step_uses_alpha_zero_when_set_alpha_to_one_is_false()
    {
        var ddim = new DdimScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 10);
        AssertStep(ddim, 9, [0.4989996027156012, -0.9967849964147361, 1.992355783813006]);
    }

    [Fact]
    public void Ddim_clips_the_predicted_sample_when_asked()
    {
        var clipped = new DdimScheduler(SchedulerConfig.Parse(With("\"clip_sample\": true, \"clip_sample_range\": 0.1")), 10);
        var free = new DdimScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 10);
        var a = (float[])Sample.Clone();
        var b = (float[])Sample.Clone();
        clipped.Step(Output, 3, a, new GaussianNoise(1));
        free.Step(Output, 3, b, new GaussianNoise(1));
        Assert.NotEqual(b[2], a[2]);
        Assert.True(Math.Abs(a[2]) < Math.Abs(b[2]));
    }

    [Fact]
    public void Euler_epsilon_step_and_input_scale()
    {
        var euler = new EulerDiscreteScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 10, ancestral: false);
        Assert.Equal(0.3241611761000485, euler.InputScale(3), 1e-12);
        AssertStep(euler, 3, [0.40318543552005637, -0.7095563065601691, 1.3222980486403948]);
    }

    [Fact]
    public void Euler_v_prediction_step()
    {
        var euler = new EulerDiscreteScheduler(SchedulerConfig.Parse(With("\"prediction_type\": \"v_prediction\"")), 10, ancestral: false);
        AssertStep(euler, 3, [0.3201721197932733, -0.6089607165011142, 1.1865379099167959]);
    }

    [Fact]
    public void Euler_ancestral_step_adds_sigma_up_times_the_request_noise()
    {
        const double up = 1.4507952061403557;
        const double down = 1.3031972342511153;
        var config = SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion);
        var ancestral = new EulerDiscreteScheduler(config, 10, ancestral: true);
        var sigma = ancestral.Sigmas[3];
        var draws = new GaussianNoise(42);
        var z = new[] { draws.Next(), draws.Next(), draws.Next() };
        var expected = new double[3];
        for (var i = 0; i < 3; i++)
        {
            var x0 = Sample[i] - (sigma * Output[i]);
            expected[i] = Sample[i] + ((Sample[i] - x0) / sigma * (down - sigma)) + (z[i] * up);
        }

        var sample = (float[])Sample.Clone();
        ancestral.Step(Output, 3, sample, new GaussianNoise(42));
        AssertClose(expected, sample);
    }

    [Fact]
    public void Dpm_solver_first_step_is_first_order_and_the_second_is_second_order()
    {
        var dpm = new DpmSolverMultistepScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 10);
        var sample = (float[])Sample.Clone();
        dpm.Step(Output, 0, sample, new GaussianNoise(1));
        AssertClose([0.8003560255227142, -1.5252369379364408, 2.9749987627638936], sample);
        dpm.Step([-0.2f, 0.4f, 0.05f], 1, sample, new GaussianNoise(1));
        AssertClose([1.4954258722089648, -2.8959749307533174, 4.941774895081764], sample);
    }

    [Fact]
    public void Dpm_solver_last_step_returns_the_data_prediction()
    {
        var dpm = new DpmSolverMultistepScheduler(SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion), 1);
        var sample = (float[])Sample.Clone();
        var sigma = dpm.Sigmas[0];
        var alpha = 1 / Math.Sqrt((sigma * sigma) + 1);
        dpm.Step(Output, 0, sample, new GaussianNoise(1));
        AssertClose(Sample.Select((x, i) => (x - (sigma * alpha * Output[i])) / alpha).ToArray(), sample);
    }

    [Theory]
    [InlineData(DiffusionSchedulerKind.Ddim)]
    [InlineData(DiffusionSchedulerKind.EulerDiscrete)]
    [InlineData(DiffusionSchedulerKind.EulerAncestralDiscrete)]
    [InlineData(DiffusionSchedulerKind.DpmSolverMultistep)]
    public void Noising_a_clean_sample_and_predicting_its_noise_exactly_recovers_it(DiffusionSchedulerKind kind)
    {
        // With the true noise as the model output, a deterministic full run from the noised sample lands on x₀
        // (Euler ancestral too: its last step has σ_up = 0). DDIM ends on ᾱ = 1 with set_alpha_to_one.
        var config = SchedulerConfig.Parse(With("\"set_alpha_to_one\": true").Replace("\"set_alpha_to_one\": false, ", string.Empty, StringComparison.Ordinal));
        var scheduler = DiffusionScheduler.Create(kind, config, 20);
        var clean = new float[] { 0.3f, -0.7f, 0.1f };
        var noise = new float[] { 1.2f, -0.4f, 0.8f };
        var sample = (float[])clean.Clone();
        scheduler.AddNoise(sample, noise, 0);
        var draws = new GaussianNoise(3);
        for (var step = 0; step < scheduler.Timesteps.Length; step++)
        {
            // ε̂ from the current sample and the known x₀, on the scheduler's own scale.
            var t = scheduler.Timesteps[step];
            var sigma = NoiseSchedule.Sigma(config.AlphasCumprod, t);
            var epsilon = new float[3];
            for (var i = 0; i < 3; i++)
            {
                epsilon[i] = kind is DiffusionSchedulerKind.Ddim or DiffusionSchedulerKind.DpmSolverMultistep
                    ? (float)((sample[i] - (clean[i] / Math.Sqrt((sigma * sigma) + 1))) / (sigma / Math.Sqrt((sigma * sigma) + 1)))
                    : (float)((sample[i] - clean[i]) / sigma);
            }

            scheduler.Step(epsilon, step, sample, draws);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(clean[i], sample[i], 1e-3);
        }
    }

    private static string With(string fields) => NoiseScheduleTests.StableDiffusion.TrimEnd().TrimEnd('}') + ", " + fields + "}";

    private static void AssertStep(DiffusionScheduler scheduler, int step, double[] expected)
    {
        var sample = (float[])Sample.Clone();
        scheduler.Step(Output, step, sample, new GaussianNoise(1));
        AssertClose(expected, sample);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"Value {i}: expected {expected[i]}, got {actual[i]}.");
        }
    }
}
