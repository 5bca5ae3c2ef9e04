using System.Globalization;
using System.Text;
using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The training step: prepares a <see cref="TrainingJob"/> from earlier outputs and trains it with
/// <see cref="CausalLmTrainer"/> in the step's work folder. A crashed or cancelled run resumes from its newest
/// checkpoint there (set <see cref="TrainerOptions.SaveSteps"/>); a changed setting trains afresh in a new folder.
/// </summary>
/// <remarks>
/// The fingerprint covers every <see cref="TrainerOptions"/> setting but the output folder, plus the
/// <c>recipe</c> parameters: describe there what the preparation delegate does (model size, LoRA settings, which
/// records), since a delegate cannot be fingerprinted.
/// </remarks>
public sealed class TrainPipelineStep : ModelPipelineStep
{
    /// <summary>The output value holding the trained artifact's folder (<c>final</c>).</summary>
    public const string ModelKey = "model";

    /// <summary>The output value holding the base checkpoint folder an adapter was trained on (empty for full training).</summary>
    public const string BaseModelKey = "base_model";

    /// <summary>The output value holding the CSV file of the training loss per step.</summary>
    public const string LossHistoryKey = "loss_history";

    private readonly IReadOnlyList<string> _inputs;
    private readonly TrainerOptions _options;
    private readonly Func<ModelPipelineContext, CancellationToken, Task<TrainingJob>> _prepare;
    private readonly IReadOnlyDictionary<string, string> _recipe;
    private readonly IProgress<TrainingProgress>? _progress;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="inputs">The earlier steps the preparation reads (a dataset step, a base model's training step).</param>
    /// <param name="options">The trainer settings; the output folder is the step's work folder.</param>
    /// <param name="prepare">Builds the model and the sequences from the earlier outputs.</param>
    /// <param name="recipe">Parameters that describe what <paramref name="prepare"/> does; part of the fingerprint.</param>
    /// <param name="progress">Receives the trainer's progress after every optimizer step.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is invalid or the options are invalid.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public TrainPipelineStep(
        string id,
        IReadOnlyList<string> inputs,
        TrainerOptions options,
        Func<ModelPipelineContext, CancellationToken, Task<TrainingJob>> prepare,
        IReadOnlyDictionary<string, string>? recipe = null,
        IProgress<TrainingProgress>? progress = null)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prepare);
        options.EnsureValid();
        _inputs = [.. inputs];
        _options = options;
        _prepare = prepare;
        _recipe = recipe ?? StepParameters.None;
        _progress = progress;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => _inputs;

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken)
    {
        var o = _options;
        var parameters = new StepParameters()
            .Add("epochs", o.Epochs).Add("max_steps", o.MaxSteps).Add("batch_size", o.BatchSize)
            .Add("gradient_accumulation_steps", o.GradientAccumulationSteps).Add("learning_rate", o.LearningRate)
            .Add("weight_decay", o.WeightDecay).Add("adam_beta1", o.AdamBeta1).Add("adam_beta2", o.AdamBeta2)
            .Add("adam_epsilon", o.AdamEpsilon).Add("max_grad_norm", o.MaxGradNorm).Add("schedule", o.Schedule.ToString())
            .Add("warmup_steps", o.WarmupSteps).Add("warmup_ratio", o.WarmupRatio).Add("eval_steps", o.EvalSteps)
            .Add("early_stopping_patience", o.EarlyStoppingPatience).Add("early_stopping_threshold", o.EarlyStoppingThreshold)
            .Add("seed", o.Seed).Add("device", o.Device);
        foreach (var (key, value) in _recipe)
        {
            parameters.Add("recipe." + key, value);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(parameters);
    }

    /// <inheritdoc />
    public override async Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        TorchSharpRuntime.EnsureLoaded();
        var job = await _prepare(context, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The preparation of training step '{Id}' returned no job.");
        TrainingResult result;
        try
        {
            using var trainer = new CausalLmTrainer(job.Model, _options with { OutputDirectory = context.WorkDirectory, ResumeFromCheckpoint = true });
            result = await trainer.TrainAsync(job.Train, job.Validation, _progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            job.Model.Model.Dispose();
        }

        var history = Path.Combine(context.WorkDirectory, "loss.csv");
        var csv = new StringBuilder("step,loss\n");
        foreach (var (step, loss) in result.LossHistory)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{step},{loss:R}\n");
        }

        await File.WriteAllTextAsync(history, csv.ToString(), cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>
        {
            ["steps"] = result.Steps,
            ["train_loss"] = result.TrainLoss,
            ["resumed_from_step"] = result.ResumedFromStep,
        };
        if (result.EvalLoss is { } evalLoss)
        {
            metrics["eval_loss"] = evalLoss;
            metrics["eval_perplexity"] = Math.Exp(evalLoss);
        }

        return new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [ModelKey] = result.OutputDirectory,
                [BaseModelKey] = job.BaseModelDirectory ?? string.Empty,
                [LossHistoryKey] = history,
                ["method"] = job.Model.Method,
            },
            Metrics = metrics,
        };
    }

    /// <summary>Reads the loss history a training step wrote.</summary>
    /// <param name="output">The training step's output.</param>
    /// <returns>The loss of every optimizer step, resumed runs included.</returns>
    /// <exception cref="InvalidOperationException">The output is not a training step's.</exception>
    public static IReadOnlyList<(int Step, double Loss)> ReadLossHistory(ModelPipelineStepOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return File.ReadLines(output.GetValue(LossHistoryKey))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(parts => (int.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <inheritdoc />
    public override ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        return ValueTask.FromResult(output.Values.TryGetValue(ModelKey, out var model) && Directory.Exists(model));
    }
}
