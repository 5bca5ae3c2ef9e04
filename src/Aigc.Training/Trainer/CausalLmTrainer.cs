using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aigc.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Trains a causal language model on packed sequences, as the Hugging Face Trainer does: shifted cross-entropy that
/// ignores label −100; AdamW whose weight decay skips biases and LayerNorm weights; constant, linear or cosine
/// schedules with warm-up; gradient accumulation and clipping; periodic evaluation (loss, perplexity) with early
/// stopping; checkpoints (trainable state, optimizer, RNG, trainer state) that resume exactly; a dispose scope per
/// step so memory stays flat; cancellation that stops at a step boundary and writes a checkpoint.
/// </summary>
/// <remarks>
/// <para>
/// Resume is exact: the data order of an epoch depends only on the seed and the epoch (the same in every process),
/// and the checkpoint holds the optimizer state, the random generator and the position in the epoch and schedule; a
/// run interrupted at any checkpoint and resumed ends with the weights of an uninterrupted run.
/// </para>
/// <para>
/// The loss of a step is the summed token loss of its batches divided by the step's number of labelled tokens (as
/// the Hugging Face Trainer with <c>num_items_in_batch</c>), so accumulating k batches of n equals one batch of k·n.
/// For LoRA and full fine-tuning the tied LM head and the loss are computed together in row chunks, so the
/// <c>[tokens, vocab]</c> logits never exist whole. One run per output folder: a start deletes half-written
/// checkpoints a crashed run left there.
/// </para>
/// </remarks>
public sealed partial class CausalLmTrainer : IDisposable
{
    private readonly ITrainableLanguageModel _model;
    private readonly TrainerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _loss;
    private readonly Histogram<double> _evalLoss;

    /// <summary>Initializes a trainer.</summary>
    /// <param name="model">What to train (LoRA, prompt tuning or full fine-tuning).</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="logger">Receives progress and checkpoint logs.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Training</c> meter; a standalone meter when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for throughput and ETA.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="NotSupportedException">The device is CUDA and TorchSharp reports none.</exception>
    public CausalLmTrainer(ITrainableLanguageModel model, TrainerOptions options, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        TorchSharpRuntime.EnsureLoaded();
        if (options.Device.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
        {
            throw new NotSupportedException($"Device '{options.Device}' was asked for, but TorchSharp reports no CUDA device. Reference the libtorch CUDA package of the TorchSharp release on a GPU host, or use 'cpu'.");
        }

        _model = model;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _meter = TrainingTelemetry.CreateMeter(meterFactory);
        _ownsMeter = meterFactory is null;
        _steps = _meter.CreateCounter<long>(TrainingTelemetry.Steps, "{step}", "Optimizer steps done.");
        _tokens = _meter.CreateCounter<long>(TrainingTelemetry.Tokens, "{token}", "Training tokens processed.");
        _stepDuration = _meter.CreateHistogram(TrainingTelemetry.StepDuration, "s", "Wall time of one optimizer step.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TrainingTelemetry.StepDurationBuckets });
        _loss = _meter.CreateHistogram<double>(TrainingTelemetry.Loss, null, "Training loss of each optimizer step.");
        _evalLoss = _meter.CreateHistogram<double>(TrainingTelemetry.EvalLoss, null, "Validation loss of each evaluation.");
    }

    /// <summary>
    /// Trains on <paramref name="train"/>, evaluating on <paramref name="validation"/>, and writes the artifact to
    /// <c>&lt;OutputDirectory&gt;/final</c>. With <see cref="TrainerOptions.ResumeFromCheckpoint"/>, continues from the
    /// newest checkpoint in the output folder.
    /// </summary>
    /// <param name="train">The training sequences.</param>
    /// <param name="validation">The validation sequences, or <see langword="null"/>.</param>
    /// <param name="progress">Receives a report after every optimizer step.</param>
    /// <param name="cancellationToken">Stops at the next step boundary, after writing a checkpoint.</param>
    /// <returns>The run's figures.</returns>
    /// <exception cref="ArgumentException">The training set is empty or its sequences differ in length.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled (a checkpoint was written first).</exception>
    public Task<TrainingResult> TrainAsync(IReadOnlyList<PackedSequence> train, IReadOnlyList<PackedSequence>? validation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        return Task.Factory.StartNew(() => Train(train, validation, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Computes the mean token loss of the model on <paramref name="data"/> (perplexity is its exponential).</summary>
    /// <param name="data">The sequences.</param>
    /// <returns>The mean cross-entropy per predicted token.</returns>
    public double Evaluate(IReadOnlyList<PackedSequence> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var wasTraining = _model.Model.training;
        _model.Model.eval();
        double total = 0;
        long tokens = 0;
        using (torch.no_grad())
        {
            for (var start = 0; start < data.Count; start += _options.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(_options.BatchSize, data.Count - start)).ToArray();
                var batch = Batch.Create(data, indices, _options.Device);
                total += CausalLmLoss.Sum(_model, batch.InputIds, batch.AttentionMask, batch.PositionIds, batch.Labels);
                tokens += Batch.CountLabels(data, indices);
            }
        }

        if (wasTraining)
        {
            _model.Model.train();
        }

        return tokens == 0 ? double.NaN : total / tokens;
    }

    /// <summary>Releases the trainer's meter when it created it (a meter from an <see cref="IMeterFactory"/> belongs to the factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private TrainingResult Train(IReadOnlyList<PackedSequence> train, IReadOnlyList<PackedSequence>? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var length = train[0].Length;
        foreach (var sequence in train)
        {
            if (sequence.Length != length)
            {
                throw new ArgumentException($"Every training sequence must have one length; found {length} and {sequence.Length}. Pack them with SequencePacker.", nameof(train));
            }
        }

        var device = torch.device(_options.Device);
        _model.Model.to(device);
        var batchesPerEpoch = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var stepsPerEpoch = (batchesPerEpoch + _options.GradientAccumulationSteps - 1) / _options.GradientAccumulationSteps;
        var totalSteps = _options.MaxSteps > 0 ? _options.MaxSteps : stepsPerEpoch * _options.Epochs;
        var warmup = _options.WarmupSteps > 0 ? _options.WarmupSteps : (int)Math.Ceiling(_options.WarmupRatio * totalSteps);

        var trainable = _model.TrainableParameters();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("The model has no trainable parameters.");
        }

        var decay = trainable.Where(p => !NoDecay(p.Name)).Select(p => p.Parameter).ToList();
        var noDecay = trainable.Where(p => NoDecay(p.Name)).Select(p => p.Parameter).ToList();
        var groups = new List<AdamW.ParamGroup>();
        if (decay.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(decay, _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, _options.AdamEpsilon, _options.WeightDecay, false, false));
        }

        if (noDecay.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(noDecay, _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, _options.AdamEpsilon, 0.0, false, false));
        }

        using var optimizer = torch.optim.AdamW(groups, _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, _options.AdamEpsilon, _options.WeightDecay, false, false);
        var checkpoints = new CheckpointStore(_options.OutputDirectory);
        checkpoints.RemoveIncomplete();
        var state = new TrainerState { MaxSteps = totalSteps, Method = _model.Method };
        var resumedFrom = 0;
        if (_options.ResumeFromCheckpoint && checkpoints.FindLatest() is { } latest)
        {
            state = CheckpointStore.Load(latest, _model, optimizer);
            resumedFrom = state.GlobalStep;
            LogResumed(_logger, latest, state.GlobalStep);
        }
        else
        {
            torch.manual_seed(_options.Seed);
        }

        var parameters = trainable.Select(p => p.Parameter).ToList();
        LogStarted(_logger, _model.Method, state.GlobalStep, totalSteps, _options.OutputDirectory);
        var started = _timeProvider.GetTimestamp();
        long tokensSeen = 0;
        var stoppedEarly = false;
        _model.Model.train();
        optimizer.zero_grad();

        while (state.GlobalStep < totalSteps && !stoppedEarly)
        {
            var order = EpochOrder.Permutation(train.Count, _options.Seed, state.EpochIndex);
            while (state.BatchInEpoch < batchesPerEpoch && state.GlobalStep < totalSteps)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    var saved = checkpoints.Save(state.GlobalStep, _model, optimizer, state);
                    checkpoints.Rotate(_options.SaveTotalLimit, state.BestModelCheckpoint);
                    LogCancelled(_logger, state.GlobalStep, saved);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var stepStart = _timeProvider.GetTimestamp();
                var micro = Math.Min(_options.GradientAccumulationSteps, batchesPerEpoch - state.BatchInEpoch);
                var (stepLoss, stepTokens) = AccumulateGradients(train, order, state.BatchInEpoch, micro);
                if (_options.MaxGradNorm > 0)
                {
                    using var clipScope = torch.NewDisposeScope();
                    nn.utils.clip_grad_norm_(parameters, _options.MaxGradNorm);
                }

                var learningRate = _options.LearningRate * LearningRateSchedules.Factor(_options.Schedule, state.GlobalStep, warmup, totalSteps);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = learningRate;
                }

                optimizer.step();
                SparseFineTuningModel.ApplyMasksOf(_model);
                optimizer.zero_grad();
                state.BatchInEpoch += micro;
                state.GlobalStep++;
                state.LastLoss = stepLoss;
                state.LossHistory.Add([state.GlobalStep, stepLoss]);
                tokensSeen += stepTokens;
                _steps.Add(1);
                _tokens.Add(stepTokens);
                _loss.Record(stepLoss);
                _stepDuration.Record(_timeProvider.GetElapsedTime(stepStart).TotalSeconds);

                double? evalLoss = null;
                if (validation is { Count: > 0 } && (_options.EvalSteps > 0 ? state.GlobalStep % _options.EvalSteps == 0 : state.GlobalStep == totalSteps))
                {
                    evalLoss = Evaluate(validation);
                    _evalLoss.Record(evalLoss.Value);
                    state.EvalHistory.Add([state.GlobalStep, evalLoss.Value]);
                    if (state.BestMetric is null || evalLoss.Value < state.BestMetric.Value - _options.EarlyStoppingThreshold)
                    {
                        state.BestMetric = evalLoss.Value;
                        state.EvalsWithoutImprovement = 0;
                        if (_options.SaveSteps > 0)
                        {
                            state.BestModelCheckpoint = checkpoints.Save(state.GlobalStep, _model, optimizer, state);
                        }
                    }
                    else
                    {
                        state.EvalsWithoutImprovement++;
                        stoppedEarly = _options.EarlyStoppingPatience > 0 && state.EvalsWithoutImprovement >= _options.EarlyStoppingPatience;
                    }
                }

                if (_options.SaveSteps > 0 && state.GlobalStep % _options.SaveSteps == 0)
                {
                    checkpoints.Save(state.GlobalStep, _model, optimizer, state);
                    checkpoints.Rotate(_options.SaveTotalLimit, state.BestModelCheckpoint);
                }

                var elapsed = _timeProvider.GetElapsedTime(started);
                var doneHere = state.GlobalStep - resumedFrom;
                var eta = doneHere == 0 ? TimeSpan.Zero : elapsed / doneHere * (totalSteps - state.GlobalStep);
                var epoch = state.EpochIndex + ((double)state.BatchInEpoch / batchesPerEpoch);
                progress?.Report(new TrainingProgress(state.GlobalStep, totalSteps, epoch, stepLoss, learningRate, tokensSeen / Math.Max(1e-9, elapsed.TotalSeconds), eta, evalLoss));
                if (stoppedEarly)
                {
                    LogStoppedEarly(_logger, state.GlobalStep, state.EvalsWithoutImprovement);
                    break;
                }
            }

            if (state.BatchInEpoch >= batchesPerEpoch)
            {
                state.EpochIndex++;
                state.BatchInEpoch = 0;
            }
        }

        var finalDirectory = Path.Combine(_options.OutputDirectory, "final");
        _model.Save(finalDirectory);
        if (_options.SaveSteps > 0)
        {
            checkpoints.Save(state.GlobalStep, _model, optimizer, state);
            checkpoints.Rotate(_options.SaveTotalLimit, state.BestModelCheckpoint);
        }

        _model.Model.eval();
        LogFinished(_logger, state.GlobalStep, state.LastLoss, finalDirectory);
        return new TrainingResult
        {
            Steps = state.GlobalStep,
            TrainLoss = state.LastLoss,
            EvalLoss = state.EvalHistory.Count > 0 ? state.EvalHistory[^1][1] : null,
            BestEvalLoss = state.BestMetric,
            StoppedEarly = stoppedEarly,
            ResumedFromStep = resumedFrom,
            OutputDirectory = finalDirectory,
            EvalHistory = state.EvalHistory.Select(e => ((int)e[0], e[1])).ToList(),
            LossHistory = state.LossHistory.Select(e => ((int)e[0], e[1])).ToList(),
        };
    }

    /// <summary>
    /// Runs the forward and backward passes of one optimizer step's <paramref name="micro"/> batches. Each batch's
    /// summed token loss is divided by the label count of the whole step (as the Hugging Face Trainer does with
    /// <c>num_items_in_batch</c>), so accumulating k batches of n gives the gradient of one batch of k·n even when
    /// the batches hold different numbers of labelled tokens.
    /// </summary>
    /// <returns>The step's mean token loss (0 when no token is labelled) and the tokens it read.</returns>
    private (double Loss, long Tokens) AccumulateGradients(IReadOnlyList<PackedSequence> train, int[] order, int firstBatch, int micro)
    {
        var batches = new int[micro][];
        long labelCount = 0;
        for (var m = 0; m < micro; m++)
        {
            var first = (firstBatch + m) * _options.BatchSize;
            batches[m] = order.AsSpan(first, Math.Min(_options.BatchSize, train.Count - first)).ToArray();
            labelCount += Batch.CountLabels(train, batches[m]);
        }

        double lossSum = 0;
        long tokens = 0;
        for (var m = 0; m < micro; m++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = Batch.Create(train, batches[m], _options.Device);
            tokens += batch.TokenCount;
            if (labelCount > 0)
            {
                lossSum += CausalLmLoss.ForwardBackward(_model, batch.InputIds, batch.AttentionMask, batch.PositionIds, batch.Labels, 1.0 / labelCount);
            }
        }

        return (labelCount > 0 ? lossSum / labelCount : 0, tokens);
    }

    /// <summary>Hugging Face's rule: no weight decay on biases and LayerNorm weights.</summary>
    private static bool NoDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training ({Method}) from step {Step} to {TotalSteps}, output {OutputDirectory}.")]
    private static partial void LogStarted(ILogger logger, string method, int step, int totalSteps, string outputDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished training at step {Step} (loss {Loss:F4}); wrote {FinalDirectory}.")]
    private static partial void LogFinished(ILogger logger, int step, double loss, string finalDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed training from {Checkpoint} at step {Step}.")]
    private static partial void LogResumed(ILogger logger, string checkpoint, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelled at step {Step}; wrote {Checkpoint}.")]
    private static partial void LogCancelled(ILogger logger, int step, string checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped early at step {Step} after {Evaluations} evaluations without improvement.")]
    private static partial void LogStoppedEarly(ILogger logger, int step, int evaluations);
}
