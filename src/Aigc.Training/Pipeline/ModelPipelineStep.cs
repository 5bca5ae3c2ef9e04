using System.Text.RegularExpressions;

namespace Aigc.Training;

/// <summary>
/// One step of a <see cref="ModelPipeline"/>: a stable id, a version, the ids of the earlier steps it reads, and the
/// parameters that, with its inputs' fingerprints, make its fingerprint. A step whose fingerprint matches its last
/// completed run is not run again: its recorded output is reused.
/// </summary>
/// <remarks>
/// Derive from this class for a step of your own; the library ships the steps of the model loop
/// (<see cref="DatasetPipelineStep"/>, <see cref="TrainPipelineStep"/>, <see cref="EvaluatePipelineStep"/>,
/// <see cref="ExportOnnxPipelineStep"/>, <see cref="RegisterModelPipelineStep"/>, <see cref="PromotePipelineStep"/>).
/// Give everything that changes the output to <see cref="DescribeAsync"/>, and raise <see cref="Version"/> when the
/// step's code changes what it produces.
/// </remarks>
public abstract partial class ModelPipelineStep
{
    /// <summary>Initializes a step.</summary>
    /// <param name="id">The stable id: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, at most 64 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or has other characters.</exception>
    protected ModelPipelineStep(string id)
    {
        ThrowIfInvalidId(id, nameof(id));
        Id = id;
    }

    /// <summary>Gets the stable id; it names the step's record and work folder.</summary>
    public string Id { get; }

    /// <summary>Gets the version of the step's behaviour; part of the fingerprint.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public virtual int Version => 1;

    /// <summary>Gets the ids of the earlier steps whose outputs this step reads; their fingerprints chain into its own.</summary>
    public abstract IReadOnlyList<string> Inputs { get; }

    /// <summary>Describes the settings that determine the step's output, in canonical form.</summary>
    /// <param name="cancellationToken">Cancels the description.</param>
    /// <returns>The parameters (sorted and formatted by the caller's <see cref="Aigc.Data.StepParameters"/>).</returns>
    public abstract ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Runs the step.</summary>
    /// <param name="context">The step's fingerprint, work folder and the outputs of earlier steps.</param>
    /// <param name="cancellationToken">Cancels the run; nothing is recorded.</param>
    /// <returns>What the step produced.</returns>
    public abstract Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that a recorded output with a matching fingerprint can still be used (its files or registry entries
    /// exist); when not, the step runs again.
    /// </summary>
    /// <param name="output">The recorded output.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the output is still valid; the default.</returns>
    public virtual ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <inheritdoc />
    public override string ToString() => Id;

    internal static void ThrowIfInvalidId(string? id, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, parameterName);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"The step id '{id}' is invalid: use letters, digits, '.', '_' and '-' only, at most 64 characters.", parameterName);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
