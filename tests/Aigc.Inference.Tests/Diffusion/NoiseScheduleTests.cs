namespace Aigc.Inference.Tests.Diffusion;

/// <summary>
/// β schedules and timestep spacings against values computed from diffusers' formulas in double precision
/// (a Python script using only <c>math</c>: scaled_linear β_i = (√β_s + (√β_e − √β_s)·i/(T−1))², ᾱ = cumprod(1 − β),
/// the spacings as <c>set_timesteps</c> builds them).
/// </summary>
public sealed class NoiseScheduleTests
{
    internal const string StableDiffusion = """
        {"_class_name": "PNDMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
         "num_train_timesteps": 1000, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
         "clip_sample": false, "trained_betas": null}
        """;

    [Theory]
    [InlineData(0, 0.99915)]
    [InlineData(499, 0.27766965045646763)]
    [InlineData(999, 0.004660098513077234)]
    public void Scaled_linear_alphas_cumprod_match_the_formula(int t, double expected)
    {
        var config = SchedulerConfig.Parse(StableDiffusion);
        Assert.Equal(expected, config.AlphasCumprod[t], 1e-12);
    }

    [Theory]
    [InlineData(0, 0.9999)]
    [InlineData(499, 0.07858724288177821)]
    [InlineData(999, 4.0358297653756754e-05)]
    public void Linear_alphas_cumprod_match_the_formula(int t, double expected)
    {
        var config = SchedulerConfig.Parse("""{"beta_schedule": "linear", "beta_start": 0.0001, "beta_end": 0.02}""");
        Assert.Equal(expected, config.AlphasCumprod[t], 1e-12);
    }

    [Fact]
    public void The_largest_sigma_of_stable_diffusion_is_14_6146()
    {
        var euler = new EulerDiscreteScheduler(SchedulerConfig.Parse(StableDiffusion), 10, ancestral: false);
        Assert.Equal(14.614641229333646, euler.Sigmas[0], 1e-9);
        Assert.Equal(14.614641229333646, euler.InitNoiseSigma, 1e-9);
        Assert.Equal(0.0, euler.Sigmas[^1]);
        Assert.Equal(11, euler.Sigmas.Count);
    }

    [Theory]
    [InlineData("leading", 901, 1)]
    [InlineData("trailing", 999, 99)]
    [InlineData("linspace", 999, 0)]
    public void Ddim_timesteps_for_each_spacing(string spacing, double first, double last)
    {
        var ddim = new DdimScheduler(SchedulerConfig.Parse(WithSpacing(spacing)), 10);
        Assert.Equal(10, ddim.Timesteps.Length);
        Assert.Equal(first, ddim.Timesteps[0]);
        Assert.Equal(last, ddim.Timesteps[^1]);
        Assert.True(ddim.Timesteps.Zip(ddim.Timesteps.Skip(1)).All(p => p.First > p.Second), "Timesteps decrease.");
    }

    [Theory]
    [InlineData("leading", 901, 1)]
    [InlineData("trailing", 999, 99)]
    [InlineData("linspace", 999, 0)]
    public void Euler_timesteps_for_each_spacing(string spacing, double first, double last)
    {
        var euler = new EulerDiscreteScheduler(SchedulerConfig.Parse(WithSpacing(spacing)), 10, ancestral: false);
        Assert.Equal(first, euler.Timesteps[0]);
        Assert.Equal(last, euler.Timesteps[^1]);
    }

    [Fact]
    public void Euler_linspace_timesteps_are_not_rounded_and_leading_spacing_scales_the_initial_noise()
    {
        var linspace = new EulerDiscreteScheduler(SchedulerConfig.Parse(WithSpacing("linspace")), 10, ancestral: false);
        Assert.Equal(888.0, linspace.Timesteps[1], 1e-12);
        var fractional = new EulerDiscreteScheduler(SchedulerConfig.Parse(WithSpacing("linspace")), 7, ancestral: false);
        Assert.Equal(999.0 * 5 / 6, fractional.Timesteps[1], 1e-12);

        var leading = new EulerDiscreteScheduler(SchedulerConfig.Parse(WithSpacing("leading")), 10, ancestral: false);
        Assert.Equal(8.450064550829069, leading.InitNoiseSigma, 1e-9);
    }

    [Theory]
    [InlineData("linspace", new[] { 999.0, 899, 799, 699, 599, 500, 400, 300, 200, 100 })]
    [InlineData("leading", new[] { 901.0, 811, 721, 631, 541, 451, 361, 271, 181, 91 })]
    [InlineData("trailing", new[] { 999.0, 899, 799, 699, 599, 499, 399, 299, 199, 99 })]
    public void Dpm_solver_timesteps_for_each_spacing(string spacing, double[] expected)
    {
        var dpm = new DpmSolverMultistepScheduler(SchedulerConfig.Parse(WithSpacing(spacing)), 10);
        Assert.Equal(expected, dpm.Timesteps);
        Assert.Equal(0.0, dpm.Sigmas[^1]);
    }

    internal static string WithSpacing(string spacing) => StableDiffusion.TrimEnd().TrimEnd('}') + $", \"timestep_spacing\": \"{spacing}\"}}";
}
