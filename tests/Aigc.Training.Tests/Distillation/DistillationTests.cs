using Aigc.Data;
using Aigc.Training.Tests.Trainer;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Distillation;

[Collection(TorchSerialCollection.Name)]
public sealed class DistillationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-distill-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A student a quarter of the teacher's size: one layer, 32 wide, 2 heads.</summary>
    private static Gpt2Config StudentConfig => SyntheticCorpus.Config with { Layers = 1, EmbeddingSize = 32, Heads = 2 };

    private static Gpt2LanguageModel Student(int seed)
    {
        torch.manual_seed(seed);
        return new Gpt2LanguageModel(StudentConfig);
    }

    [Fact]
    public async Task A_distilled_student_beats_the_same_student_trained_without_the_teacher_on_validation_loss()
    {
        // The teacher learns corpus A from plenty of data; the students see only 16 sequences of it.
        var teacher = DistillationTestModels.Teacher(Path.Combine(_root, "teacher"));
        var validation = SyntheticCorpus.CorpusA(64, 32, seed: 99);
        var small = SyntheticCorpus.CorpusA(16, 32, seed: 5);
        var options = new TrainerOptions { MaxSteps = 80, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 5, Schedule = LearningRateSchedule.Cosine, Seed = 3 };

        using var teacherTrainer = new CausalLmTrainer(new FullFineTuningModel(teacher), options with { OutputDirectory = Path.Combine(_root, "eval") });
        var teacherLoss = teacherTrainer.Evaluate(validation);

        var plain = new FullFineTuningModel(Student(seed: 11));
        using var plainTrainer = new CausalLmTrainer(plain, options with { OutputDirectory = Path.Combine(_root, "plain") });
        var withoutTeacher = await plainTrainer.TrainAsync(small, validation);

        #region distillation-training
        var distillation = new DistillationModel(new FullFineTuningModel(Student(seed: 11)), teacher, new DistillationOptions { Temperature = 2.0, Alpha = 0.7 });
        using var trainer = new CausalLmTrainer(distillation, options with { OutputDirectory = Path.Combine(_root, "distilled"), SaveSteps = 40 });
        var reports = new List<TrainingProgress>();
        var withTeacher = await trainer.TrainAsync(small, validation, new CallbackProgress(reports.Add));
        #endregion

        output.WriteLine($"validation loss: teacher {teacherLoss:F4}, student alone {withoutTeacher.EvalLoss:F4}, distilled student {withTeacher.EvalLoss:F4}");
        Assert.True(teacherLoss < withoutTeacher.EvalLoss - 0.3, "the teacher must be clearly better for the comparison to mean something");
        Assert.True(withTeacher.EvalLoss < withoutTeacher.EvalLoss - 0.1, $"distilled {withTeacher.EvalLoss:F4} vs alone {withoutTeacher.EvalLoss:F4}");
        Assert.Equal(80, reports.Count);
        Assert.True(teacher.parameters().All(p => p.grad is null || p.grad.abs().max().item<float>() == 0), "the teacher received gradients");
        Assert.False(teacher.training);

        // The artifact and the checkpoints are the student's.
        using var saved = Gpt2Checkpoint.Load(withTeacher.OutputDirectory);
        Assert.Equal(StudentConfig.EmbeddingSize, saved.Config.EmbeddingSize);
        Assert.Contains("\"distill-full\"", File.ReadAllText(Path.Combine(_root, "distilled", "checkpoint-80", "trainer_state.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_LoRA_student_distils_and_an_interrupted_run_resumes_to_the_weights_of_an_uninterrupted_one()
    {
        torch.manual_seed(8);
        using var teacher = new Gpt2LanguageModel(SyntheticCorpus.Config);
        var data = SyntheticCorpus.CorpusA(16, 16, seed: 3);
        var options = new TrainerOptions { BatchSize = 4, LearningRate = 1e-2, Schedule = LearningRateSchedule.Constant, SaveSteps = 2, Seed = 4 };

        DistillationModel Create() => new(TrainerTestKit.Lora(seed: 9, dropout: 0), teacher, new DistillationOptions { Temperature = 1.5, Alpha = 0.8 });

        var straight = Create();
        var baseBefore = straight.Model.named_parameters().Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using (var trainer = new CausalLmTrainer(straight, options with { OutputDirectory = Path.Combine(_root, "straight"), MaxSteps = 6 }))
        {
            await trainer.TrainAsync(data);
        }

        var interrupted = Create();
        using (var trainer = new CausalLmTrainer(interrupted, options with { OutputDirectory = Path.Combine(_root, "resumed"), MaxSteps = 4 }))
        {
            await trainer.TrainAsync(data);
        }

        var resumed = Create();
        using (var trainer = new CausalLmTrainer(resumed, options with { OutputDirectory = Path.Combine(_root, "resumed"), MaxSteps = 6 }))
        {
            var result = await trainer.TrainAsync(data);
            Assert.Equal(4, result.ResumedFromStep);
        }

        Assert.Equal(0, TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(straight), TrainerTestKit.Snapshot(resumed)), 6);
        Assert.True(straight.GetTrainableState().Keys.All(k => k.Contains(".lora_", StringComparison.Ordinal)));
        Assert.True(straight.GetTrainableState().Where(p => p.Key.Contains("lora_B", StringComparison.Ordinal)).Any(p => p.Value.abs().max().item<float>() > 0), "the adapter did not train");
        foreach (var (name, parameter) in straight.Model.named_parameters().Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal)))
        {
            Assert.Equal(0, (parameter - baseBefore[name]).abs().max().item<float>());
        }
    }

    [Fact]
    public void The_chunked_distillation_loss_gives_the_loss_and_gradients_of_KL_and_cross_entropy_on_whole_logits()
    {
        torch.manual_seed(4);
        var teacher = new Gpt2LanguageModel(SyntheticCorpus.Config);
        var student = new FullFineTuningModel(Student(seed: 5));
        var ids = torch.randint(0, SyntheticCorpus.Vocab, [3, 20], dtype: ScalarType.Int64);
        var labels = ids.clone();
        labels[0, ..7] = torch.tensor(RecordTokenizer.IgnoreIndex);
        var mask = torch.ones(3, 20, dtype: ScalarType.Int64);
        var positions = torch.arange(20, dtype: ScalarType.Int64).unsqueeze(0).expand(3, 20);
        const double T = 3.0, Alpha = 0.6, Scale = 1.0 / 50;

        // Reference: HF examples' KLDivLoss(log_softmax(s/T), softmax(t/T)) · T² mixed with cross-entropy, per labelled token.
        Tensor teacherLogits;
        using (torch.no_grad())
        {
            teacher.eval();
            teacherLogits = teacher.Forward(ids, mask, positions).Logits;
        }

        var logits = student.ComputeLogits(ids, mask, positions);
        var ce = CausalLmLoss.Compute(logits, labels, nn.Reduction.Sum);
        var shifted = torch.cat([labels[.., 1..], torch.full(3, 1, RecordTokenizer.IgnoreIndex, dtype: ScalarType.Int64)], dim: 1);
        var valid = shifted.ne(RecordTokenizer.IgnoreIndex).to(ScalarType.Float32);
        var kl = nn.functional.kl_div(logits.div(T).log_softmax(-1), teacherLogits.div(T).log_softmax(-1), reduction: nn.Reduction.None, log_target: true).sum(-1);
        var expectedLoss = ce.mul(1 - Alpha).add(kl.mul(valid).sum().mul(Alpha * T * T));
        expectedLoss.mul(Scale).backward();
        var expected = student.TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter.grad!.clone());
        student.Model.zero_grad();

        var distillation = new DistillationModel(student, teacher, new DistillationOptions { Temperature = T, Alpha = Alpha });
        var hidden = student.Model.ForwardHidden(ids, mask, positions, null, out _);
        var target = distillation.Target(ids, mask, positions);
        var (loss, surrogate) = FusedLmHeadLoss.Compute(hidden, student.Model.TokenEmbedding, labels, Scale, chunkBytes: 7 * 3 * SyntheticCorpus.Vocab * sizeof(float), teacher: target);
        surrogate!.backward();

        Assert.Equal(expectedLoss.item<float>(), loss, 2e-3);
        foreach (var (name, parameter) in student.TrainableParameters())
        {
            var difference = (parameter.grad! - expected[name]).abs().max().item<float>();
            Assert.True(difference < 1e-5, $"{name}: gradient differs by {difference}");
        }

        Assert.True(expected["transformer.wte.weight"].abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void Bad_settings_and_pairings_give_typed_errors_that_say_what_was_wrong()
    {
        using var teacher = new Gpt2LanguageModel(SyntheticCorpus.Config);
        var student = new FullFineTuningModel(Student(seed: 1));

        var options = Assert.Throws<ArgumentException>(() => new DistillationModel(student, teacher, new DistillationOptions { Temperature = 0, Alpha = 1.5 }));
        Assert.Contains("Temperature", options.Message, StringComparison.Ordinal);
        Assert.Contains("Alpha", options.Message, StringComparison.Ordinal);

        using var otherVocabulary = new Gpt2LanguageModel(SyntheticCorpus.Config with { VocabSize = 100 });
        var vocabulary = Assert.Throws<ArgumentException>(() => new DistillationModel(student, otherVocabulary, new DistillationOptions()));
        Assert.Contains("vocabulary", vocabulary.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new DistillationModel(student, student.Model, new DistillationOptions()));

        var prompt = PromptTuningModel.Create(Student(seed: 2), new PromptTuningConfig { NumVirtualTokens = 2 });
        var unsupported = Assert.Throws<NotSupportedException>(() => new DistillationModel(prompt, teacher, new DistillationOptions()));
        Assert.Contains("prompt-tuning", unsupported.Message, StringComparison.Ordinal);
    }
}
