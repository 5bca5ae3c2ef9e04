namespace Aigc.Inference.Tests.Diffusion;

public sealed class SchedulerConfigTests
{
    [Fact]
    public void Reads_the_fields_and_keeps_absent_ones_for_the_scheduler_defaults()
    {
        var config = SchedulerConfig.Parse(NoiseScheduleTests.StableDiffusion);
        Assert.Equal("PNDMScheduler", config.ClassName);
        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.Equal("scaled_linear", config.BetaSchedule);
        Assert.Equal(1, config.StepsOffset);
        Assert.False(config.SetAlphaToOne);
        Assert.Null(config.TimestepSpacing);
        Assert.Equal("leading", config.Spacing("leading"));
        Assert.Null(DiffusionScheduler.FromClassName(config.ClassName));
        Assert.Equal(DiffusionSchedulerKind.EulerAncestralDiscrete, DiffusionScheduler.FromClassName("EulerAncestralDiscreteScheduler"));
    }

    [Theory]
    [InlineData("""{"beta_schedule": "sigmoid"}""", "beta_schedule 'sigmoid'")]
    [InlineData("""{"prediction_type": "flow"}""", "prediction_type 'flow'")]
    [InlineData("""{"timestep_spacing": "karras"}""", "timestep_spacing 'karras'")]
    [InlineData("""{"use_karras_sigmas": true}""", "use_karras_sigmas")]
    [InlineData("""{"rescale_betas_zero_snr": true}""", "rescale_betas_zero_snr")]
    [InlineData("""{"num_train_timesteps": "1000"}""", "'num_train_timesteps' must be a number")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("""{"trained_betas": [0.1, 0.2]}""", "trained_betas has 2 values")]
    public void Rejects_what_it_cannot_follow_with_a_message_that_says_which(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => SchedulerConfig.Parse(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_steps_is_an_argument_error()
    {
        var config = SchedulerConfig.Parse("""{"num_train_timesteps": 100}""");
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionScheduler.Create(DiffusionSchedulerKind.Ddim, config, 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionScheduler.Create(DiffusionSchedulerKind.EulerDiscrete, config, 0));
    }

    [Fact]
    public void Squared_cosine_betas_follow_the_cosine_alpha_bar()
    {
        var config = SchedulerConfig.Parse("""{"beta_schedule": "squaredcos_cap_v2"}""");
        static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
        Assert.Equal(1 - (AlphaBar(0.001) / AlphaBar(0)), 1 - config.AlphasCumprod[0], 1e-12);
        Assert.Equal(AlphaBar(0.5) / AlphaBar(0), config.AlphasCumprod[499], 1e-9);
    }
}
