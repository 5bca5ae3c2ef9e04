using Aigc.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Training;

/// <summary>
/// Knowledge distillation and pruning with the host's settings (<see cref="DistillationOptions"/>,
/// <see cref="MagnitudePruningOptions"/> and <see cref="StructuredPruningOptions"/>, bound from <c>Aigc:Training:*</c>
/// and validated at start-up) and logging. Registered by <c>AddTraining()</c>; the recovery or distillation run goes
/// through <see cref="CausalLmTrainerFactory"/> like any other run, with its checkpoints, progress and metrics.
/// </summary>
/// <example>
/// <code>
/// var compressor = services.GetRequiredService&lt;ModelCompressor&gt;();
/// var pruned = compressor.PruneStructured(model).Model;
/// using var trainer = factory.Create(compressor.CreateDistillation(new FullFineTuningModel(pruned), model), "pruned-recovery");
/// await trainer.TrainAsync(train, validation);
/// </code>
/// </example>
public sealed partial class ModelCompressor
{
    private readonly ILogger _logger;

    /// <summary>Initializes the service.</summary>
    /// <param name="distillation">The distillation settings.</param>
    /// <param name="magnitude">The magnitude pruning settings.</param>
    /// <param name="structured">The structured pruning settings.</param>
    /// <param name="loggerFactory">Creates the logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">An options argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Some options are invalid; the message lists every problem.</exception>
    public ModelCompressor(DistillationOptions distillation, MagnitudePruningOptions magnitude, StructuredPruningOptions structured, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(distillation);
        ArgumentNullException.ThrowIfNull(magnitude);
        ArgumentNullException.ThrowIfNull(structured);
        distillation.EnsureValid();
        magnitude.EnsureValid();
        structured.EnsureValid();
        Distillation = distillation;
        Magnitude = magnitude;
        Structured = structured;
        _logger = loggerFactory?.CreateLogger<ModelCompressor>() ?? NullLogger<ModelCompressor>.Instance;
    }

    /// <summary>Gets the distillation settings.</summary>
    public DistillationOptions Distillation { get; }

    /// <summary>Gets the magnitude pruning settings.</summary>
    public MagnitudePruningOptions Magnitude { get; }

    /// <summary>Gets the structured pruning settings.</summary>
    public StructuredPruningOptions Structured { get; }

    /// <summary>Pairs a student with a teacher under the configured temperature and weight; train the result with <see cref="CausalLmTrainer"/>.</summary>
    /// <param name="student">What trains.</param>
    /// <param name="teacher">The teacher.</param>
    /// <returns>The distillation to train.</returns>
    /// <exception cref="ArgumentException">The vocabularies differ, or the teacher is the student's own model.</exception>
    /// <exception cref="NotSupportedException">The student's kind cannot be distilled.</exception>
    public DistillationModel CreateDistillation(ITrainableLanguageModel student, Gpt2LanguageModel teacher)
    {
        var model = new DistillationModel(student, teacher, Distillation);
        LogDistillation(_logger, teacher.Config.Layers, teacher.Config.EmbeddingSize, student.Model.Config.Layers, student.Model.Config.EmbeddingSize, Distillation.Temperature, Distillation.Alpha);
        return model;
    }

    /// <summary>Magnitude-prunes <paramref name="model"/> in place with the configured settings.</summary>
    /// <param name="model">The model.</param>
    /// <param name="progress">Receives the pruning progress.</param>
    /// <returns>The masks (give them to <see cref="SparseFineTuningModel"/> for recovery) and the sparsity reached.</returns>
    /// <exception cref="ArgumentException">The target modules match no layer.</exception>
    public MagnitudePruningResult PruneMagnitude(Gpt2LanguageModel model, IProgress<PruningProgress>? progress = null)
    {
        var result = MagnitudePruner.Prune(model, Magnitude, progress);
        LogMagnitude(_logger, result.Sparsity, Magnitude.TargetSparsity, Magnitude.Scope, result.Masks.Count);
        return result;
    }

    /// <summary>Builds a structurally pruned copy of <paramref name="model"/> with the configured settings.</summary>
    /// <param name="model">The source model (unchanged).</param>
    /// <param name="calibration">Sequences for gradient-based importance, or <see langword="null"/>.</param>
    /// <param name="progress">Receives the pruning progress.</param>
    /// <returns>The smaller model and what was removed.</returns>
    /// <exception cref="ArgumentException">The importance needs a calibration set and none was given.</exception>
    /// <exception cref="NotSupportedException">The model carries LoRA adapters.</exception>
    public StructuredPruningResult PruneStructured(Gpt2LanguageModel model, IReadOnlyList<PackedSequence>? calibration = null, IProgress<PruningProgress>? progress = null)
    {
        var result = StructuredPruner.Prune(model, Structured, calibration, progress);
        LogStructured(_logger, result.Model.Config.HeadsInLayer(0), model.Config.HeadsInLayer(0), result.Model.Config.EffectiveInnerSize, model.Config.EffectiveInnerSize, result.ParametersAfter, result.ParametersBefore, Structured.Importance);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Distilling a {TeacherLayers}×{TeacherWidth} teacher into a {StudentLayers}×{StudentWidth} student (T {Temperature}, α {Alpha}).")]
    private static partial void LogDistillation(ILogger logger, int teacherLayers, int teacherWidth, int studentLayers, int studentWidth, double temperature, double alpha);

    [LoggerMessage(Level = LogLevel.Information, Message = "Magnitude pruning reached sparsity {Sparsity:P2} (target {Target:P2}, {Scope}) over {Matrices} weight matrices.")]
    private static partial void LogMagnitude(ILogger logger, double sparsity, double target, PruningScope scope, int matrices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Structured pruning kept {Heads} of {HeadsBefore} heads and {Inner} of {InnerBefore} MLP channels per layer: {After} of {Before} parameters ({Importance}).")]
    private static partial void LogStructured(ILogger logger, int heads, int headsBefore, int inner, int innerBefore, long after, long before, PruningImportance importance);
}
