using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aigc.Training;

/// <summary>
/// Creates <see cref="CausalLmTrainer"/>s wired to the host: its <see cref="ILoggerFactory"/>, <see cref="IMeterFactory"/>
/// and <see cref="TimeProvider"/>, and defaults from <see cref="TrainingOptions"/> (the device, and a run folder under
/// <c>Aigc:RootPath</c>/<c>Aigc:Training:CheckpointsDirectory</c>). Registered by <c>AddTraining()</c>; resolve it
/// from the service provider.
/// </summary>
/// <example>
/// <code>
/// var factory = services.GetRequiredService&lt;CausalLmTrainerFactory&gt;();
/// using var trainer = factory.Create(lora, factory.CreateOptions("writer-lora") with { MaxSteps = 500, LearningRate = 2e-4 });
/// var result = await trainer.TrainAsync(train, validation, cancellationToken: stoppingToken);
/// </code>
/// </example>
public sealed class CausalLmTrainerFactory
{
    private readonly TrainingOptions _training;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes the factory (and loads TorchSharp's native library, so a missing one fails here).</summary>
    /// <param name="aigc">The shared options (the root folder).</param>
    /// <param name="training">The training options (device, checkpoints folder).</param>
    /// <param name="loggerFactory">Creates the trainers' loggers, or <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Training</c> meter, or <see langword="null"/> for a standalone one.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="aigc"/> or <paramref name="training"/> is <see langword="null"/>.</exception>
    /// <exception cref="DllNotFoundException">TorchSharp's native library cannot be loaded; the message says why.</exception>
    public CausalLmTrainerFactory(AigcOptions aigc, TrainingOptions training, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(aigc);
        ArgumentNullException.ThrowIfNull(training);
        TorchSharpRuntime.EnsureLoaded();
        _training = training;
        _loggerFactory = loggerFactory;
        _meterFactory = meterFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        CheckpointsRoot = Path.GetFullPath(Path.Combine(aigc.GetFullRootPath(), training.CheckpointsDirectory));
    }

    /// <summary>Gets the folder that holds one sub-folder per training run (full path).</summary>
    public string CheckpointsRoot { get; }

    /// <summary>
    /// Returns the default settings of a run: its output folder <see cref="CheckpointsRoot"/>/<paramref name="runName"/>
    /// and the configured device; change the rest with <c>with { … }</c>.
    /// </summary>
    /// <param name="runName">The run's name, one folder name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException"><paramref name="runName"/> is empty, or not a plain folder name.</exception>
    public TrainerOptions CreateOptions(string runName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runName);
        if (runName is "." or ".." || runName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"Run name '{runName}' must be one folder name of letters, digits, '-', '_' and '.'.", nameof(runName));
        }

        return new TrainerOptions { OutputDirectory = Path.Combine(CheckpointsRoot, runName), Device = _training.Device };
    }

    /// <summary>Creates a trainer with the host's logging, metrics and clock.</summary>
    /// <param name="model">What to train.</param>
    /// <param name="options">The run's settings (start from <see cref="CreateOptions"/>).</param>
    /// <returns>The trainer; dispose it when done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="NotSupportedException">The device is CUDA and TorchSharp reports none.</exception>
    public CausalLmTrainer Create(ITrainableLanguageModel model, TrainerOptions options) =>
        new(model, options, _loggerFactory?.CreateLogger<CausalLmTrainer>(), _meterFactory, _timeProvider);

    /// <summary>Creates a trainer for the run <paramref name="runName"/> with the default settings of <see cref="CreateOptions"/>.</summary>
    /// <param name="model">What to train.</param>
    /// <param name="runName">The run's name (its folder under <see cref="CheckpointsRoot"/>).</param>
    /// <returns>The trainer; dispose it when done.</returns>
    /// <exception cref="ArgumentException"><paramref name="runName"/> is not a plain folder name.</exception>
    public CausalLmTrainer Create(ITrainableLanguageModel model, string runName) => Create(model, CreateOptions(runName));
}
