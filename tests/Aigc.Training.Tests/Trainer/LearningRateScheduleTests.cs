namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class LearningRateScheduleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-schedule-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Expected values from the Hugging Face formulas: warm-up step / max(1, W); linear max(0, (T − step) / max(1, T − W));
    // cosine max(0, 0.5·(1 + cos(π·(step − W) / (T − W)))).
    [Theory]
    [InlineData(LearningRateSchedule.Linear, 0, 10, 100, 0.0)]
    [InlineData(LearningRateSchedule.Linear, 5, 10, 100, 0.5)]
    [InlineData(LearningRateSchedule.Linear, 10, 10, 100, 1.0)]
    [InlineData(LearningRateSchedule.Linear, 55, 10, 100, 0.5)]
    [InlineData(LearningRateSchedule.Linear, 91, 10, 100, 0.1)]
    [InlineData(LearningRateSchedule.Linear, 100, 10, 100, 0.0)]
    [InlineData(LearningRateSchedule.Linear, 120, 10, 100, 0.0)]
    [InlineData(LearningRateSchedule.Cosine, 3, 10, 90, 0.3)]
    [InlineData(LearningRateSchedule.Cosine, 10, 10, 90, 1.0)]
    [InlineData(LearningRateSchedule.Cosine, 30, 10, 90, 0.8535533905932737)]
    [InlineData(LearningRateSchedule.Cosine, 50, 10, 90, 0.5)]
    [InlineData(LearningRateSchedule.Cosine, 70, 10, 90, 0.14644660940672624)]
    [InlineData(LearningRateSchedule.Cosine, 90, 10, 90, 0.0)]
    [InlineData(LearningRateSchedule.Constant, 4, 10, 90, 0.4)]
    [InlineData(LearningRateSchedule.Constant, 60, 10, 90, 1.0)]
    [InlineData(LearningRateSchedule.Linear, 0, 1, 10, 0.0)]
    [InlineData(LearningRateSchedule.Linear, 1, 1, 10, 1.0)]
    public void Factors_follow_the_Hugging_Face_formulas(LearningRateSchedule schedule, int step, int warmup, int total, double expected) =>
        Assert.Equal(expected, LearningRateSchedules.Factor(schedule, step, warmup, total), 12);

    [Fact]
    public void Without_warm_up_the_first_step_runs_at_the_full_rate()
    {
        Assert.Equal(1.0, LearningRateSchedules.Factor(LearningRateSchedule.Linear, 0, 0, 50), 12);
        Assert.Equal(1.0, LearningRateSchedules.Factor(LearningRateSchedule.Cosine, 0, 0, 50), 12);
        Assert.Equal(0.5, LearningRateSchedules.Factor(LearningRateSchedule.Linear, 25, 0, 50), 12);
    }

    [Theory]
    [InlineData(LearningRateSchedule.Linear, new[] { 0.0, 0.5, 1.0, 0.75, 0.5, 0.25 })]
    [InlineData(LearningRateSchedule.Cosine, new[] { 0.0, 0.5, 1.0, 0.8535533905932737, 0.5, 0.14644660940672624 })]
    [InlineData(LearningRateSchedule.Constant, new[] { 0.0, 0.5, 1.0, 1.0, 1.0, 1.0 })]
    public async Task The_trainer_applies_the_schedule_at_each_optimizer_step(LearningRateSchedule schedule, double[] factors)
    {
        var rates = new List<double>();
        using var trainer = new CausalLmTrainer(TrainerTestKit.Lora(seed: 1), new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, schedule.ToString()),
            MaxSteps = 6,
            BatchSize = 2,
            GradientAccumulationSteps = 2,
            LearningRate = 1e-3,
            WarmupSteps = 2,
            Schedule = schedule,
        });

        await trainer.TrainAsync(SyntheticCorpus.CorpusB(16, 8, seed: 1), progress: new CallbackProgress(p => rates.Add(p.LearningRate)));

        Assert.Equal(factors.Length, rates.Count);
        for (var i = 0; i < factors.Length; i++)
        {
            Assert.Equal(1e-3 * factors[i], rates[i], 12);
        }
    }
}
