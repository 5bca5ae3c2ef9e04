using System.Diagnostics;
using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// A declarative model pipeline — typically dataset → train → evaluate → export → register → promote — whose steps
/// are cached by fingerprint and resume after a crash.
/// </summary>
/// <remarks>
/// <para>
/// A step's fingerprint chains the fingerprints of the steps it reads with its id, version and parameters
/// (<see cref="DatasetFingerprint.Combine"/>, the same scheme as dataset versions). When a step completes, its output
/// is recorded in <c>&lt;Directory&gt;/steps/&lt;id&gt;.json</c> with that fingerprint; a later run whose fingerprint
/// matches (and whose output <see cref="ModelPipelineStep.IsReusableAsync">is still valid</see>) reuses it without
/// running the step. A changed setting re-runs that step and every step that reads it, nothing else.
/// </para>
/// <para>
/// A run that stops half way (crash, cancellation) records nothing for the step it was in; the next run starts that
/// step again in the same work folder (<c>&lt;Directory&gt;/work/&lt;id&gt;/&lt;fingerprint&gt;</c>), where the
/// trainer finds its checkpoints and resumes.
/// </para>
/// </remarks>
public sealed class ModelPipeline
{
    private readonly List<ModelPipelineStep> _steps = [];

    /// <summary>Initializes a pipeline.</summary>
    /// <param name="name">The pipeline's name (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>).</param>
    /// <param name="directory">The folder of the step records and work folders.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="directory"/> is invalid.</exception>
    public ModelPipeline(string name, string directory)
    {
        ModelPipelineStep.ThrowIfInvalidId(name, nameof(name));
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Name = name;
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Gets the pipeline's name.</summary>
    public string Name { get; }

    /// <summary>Gets the folder of the step records and work folders.</summary>
    public string Directory { get; }

    /// <summary>Gets the steps, in order.</summary>
    public IReadOnlyList<ModelPipelineStep> Steps => _steps;

    /// <summary>Appends a step.</summary>
    /// <param name="step">The step; its inputs must be earlier steps.</param>
    /// <returns>This pipeline, for chaining.</returns>
    /// <exception cref="ArgumentException">The id is taken, or an input is not an earlier step.</exception>
    public ModelPipeline Add(ModelPipelineStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_steps.Any(s => s.Id == step.Id))
        {
            throw new ArgumentException($"Pipeline '{Name}' already has a step '{step.Id}': step ids must be unique.", nameof(step));
        }

        foreach (var input in step.Inputs)
        {
            if (!_steps.Any(s => s.Id == input))
            {
                throw new ArgumentException($"Step '{step.Id}' reads '{input}', which is not an earlier step of pipeline '{Name}' (earlier: {string.Join(", ", _steps.Select(s => s.Id))}).", nameof(step));
            }
        }

        _steps.Add(step);
        return this;
    }

    /// <summary>Runs the steps in order, reusing every step whose fingerprint matches its last completed run.</summary>
    /// <param name="progress">Receives a report when a step starts, and when it completes or is reused.</param>
    /// <param name="force">Run every step even when its output could be reused.</param>
    /// <param name="cancellationToken">Cancels the run; the running step records nothing and resumes next time.</param>
    /// <returns>Every step's result.</returns>
    /// <exception cref="InvalidOperationException">The pipeline has no step.</exception>
    public async Task<ModelPipelineResult> RunAsync(IProgress<ModelPipelineProgress>? progress = null, bool force = false, CancellationToken cancellationToken = default)
    {
        if (_steps.Count == 0)
        {
            throw new InvalidOperationException($"Pipeline '{Name}' has no step: add steps before running it.");
        }

        var journal = new ModelPipelineJournal(Path.Combine(Directory, "steps"));
        var outputs = new Dictionary<string, ModelPipelineStepOutput>(StringComparer.Ordinal);
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<ModelPipelineStepResult>(_steps.Count);
        foreach (var step in _steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var parameters = new StepParameters().AddAll(await step.DescribeAsync(cancellationToken).ConfigureAwait(false));
            var previous = string.Join(',', step.Inputs.Select(i => fingerprints[i]));
            var fingerprint = DatasetFingerprint.Combine(previous, step.Id, step.Version, parameters);
            fingerprints[step.Id] = fingerprint;

            var recorded = force ? null : journal.Read(step.Id);
            if (recorded is not null && recorded.Fingerprint == fingerprint && await step.IsReusableAsync(recorded.Output, cancellationToken).ConfigureAwait(false))
            {
                outputs[step.Id] = recorded.Output;
                results.Add(new ModelPipelineStepResult(step.Id, fingerprint, Reused: true, recorded.Output, clock.Elapsed));
                progress?.Report(new ModelPipelineProgress(step.Id, ModelPipelineStepStatus.Reused, fingerprint, recorded.Output, clock.Elapsed));
                continue;
            }

            var workDirectory = Path.Combine(Directory, "work", step.Id, fingerprint[..16]);
            System.IO.Directory.CreateDirectory(workDirectory);
            progress?.Report(new ModelPipelineProgress(step.Id, ModelPipelineStepStatus.Started, fingerprint, null, clock.Elapsed));
            var context = new ModelPipelineContext(Name, step.Id, fingerprint, workDirectory, outputs);
            var output = await step.ExecuteAsync(context, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Step '{step.Id}' returned no output.");
            journal.Write(step.Id, parameters, new ModelPipelineJournal.Entry(fingerprint, output));
            outputs[step.Id] = output;
            results.Add(new ModelPipelineStepResult(step.Id, fingerprint, Reused: false, output, clock.Elapsed));
            progress?.Report(new ModelPipelineProgress(step.Id, ModelPipelineStepStatus.Completed, fingerprint, output, clock.Elapsed));
        }

        return new ModelPipelineResult(results);
    }
}
