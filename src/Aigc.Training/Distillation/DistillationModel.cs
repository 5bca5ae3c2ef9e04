using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Knowledge distillation for <see cref="CausalLmTrainer"/>: the student (LoRA, full or sparse fine-tuning of a
/// GPT-2 model) trains on α·T²·KL(teacher ‖ student) + (1 − α)·cross-entropy, the teacher's logits computed in
/// evaluation mode without gradients. Teacher and student may differ in depth, width and heads; they share the
/// vocabulary. Everything else — trainable parameters, checkpoints and resume, the saved artifact — is the student's,
/// and the trainer's validation loss is the student's plain cross-entropy, so runs with and without a teacher compare.
/// </summary>
/// <remarks>
/// The student's head and both losses run in row chunks (as <see cref="FusedLmHeadLoss"/>), so neither model's
/// <c>[tokens, vocab]</c> logits exist whole; the teacher's final hidden states (<c>[tokens, d_teacher]</c>) do.
/// The training loss the trainer reports is the mixed loss.
/// </remarks>
/// <example>
/// <code>
/// var distillation = new DistillationModel(new FullFineTuningModel(student), teacher, new DistillationOptions { Temperature = 2, Alpha = 0.5 });
/// using var trainer = factory.Create(distillation, "student-distilled");
/// await trainer.TrainAsync(train, validation);
/// </code>
/// </example>
public sealed class DistillationModel : ITrainableLanguageModel
{
    /// <summary>Initializes the pairing, validates the options and puts the teacher in evaluation mode.</summary>
    /// <param name="student">What trains: a <see cref="FullFineTuningModel"/>, <see cref="LoraModel"/> or <see cref="SparseFineTuningModel"/>.</param>
    /// <param name="teacher">The teacher; it is not changed (it is moved to the training device when it is elsewhere).</param>
    /// <param name="options">The temperature and mixing weight.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid, the vocabularies differ, or the teacher is the student's own model.</exception>
    /// <exception cref="NotSupportedException">The student's logits are not its hidden states times the tied head (prompt tuning, or another distillation).</exception>
    public DistillationModel(ITrainableLanguageModel student, Gpt2LanguageModel teacher, DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        if (student is not (FullFineTuningModel or LoraModel or SparseFineTuningModel))
        {
            throw new NotSupportedException($"A '{student.Method}' student cannot be distilled; supported students: full, lora, sparse (their logits are the hidden states times the tied head).");
        }

        if (ReferenceEquals(student.Model, teacher))
        {
            throw new ArgumentException("The teacher is the student's own model; distil from a separate (usually larger, trained) model.", nameof(teacher));
        }

        if (teacher.Config.VocabSize != student.Model.Config.VocabSize)
        {
            throw new ArgumentException($"Teacher and student must share the vocabulary: the teacher has {teacher.Config.VocabSize} tokens, the student {student.Model.Config.VocabSize}.", nameof(teacher));
        }

        Student = student;
        Teacher = teacher;
        Options = options;
        teacher.eval();
    }

    /// <summary>Gets what trains.</summary>
    public ITrainableLanguageModel Student { get; }

    /// <summary>Gets the teacher.</summary>
    public Gpt2LanguageModel Teacher { get; }

    /// <summary>Gets the temperature and mixing weight.</summary>
    public DistillationOptions Options { get; }

    /// <inheritdoc />
    public Gpt2LanguageModel Model => Student.Model;

    /// <inheritdoc />
    public string Method => "distill-" + Student.Method;

    /// <inheritdoc />
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() => Student.TrainableParameters();

    /// <inheritdoc />
    public Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds) => Student.ComputeLogits(inputIds, attentionMask, positionIds);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> GetTrainableState() => Student.GetTrainableState();

    /// <inheritdoc />
    public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state) => Student.LoadTrainableState(state);

    /// <inheritdoc />
    public void Save(string directory) => Student.Save(directory);

    /// <summary>The teacher's side of the loss for one batch: its hidden states, in evaluation mode, without gradients.</summary>
    internal DistillationTarget Target(Tensor inputIds, Tensor attentionMask, Tensor positionIds)
    {
        if (Teacher.training)
        {
            Teacher.eval();
        }

        if (Teacher.TokenEmbedding.device != inputIds.device)
        {
            Teacher.to(inputIds.device);
        }

        using var noGrad = torch.no_grad();
        var hidden = Teacher.ForwardHidden(inputIds, attentionMask, positionIds, null, out _);
        return new DistillationTarget(hidden, Teacher.TokenEmbedding.detach(), Options.Temperature, Options.Alpha);
    }
}
