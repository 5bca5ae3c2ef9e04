using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The evaluation step: runs an evaluation delegate over earlier outputs (trained models, a held-out split) and
/// records its metrics, which a <see cref="RegisterModelPipelineStep"/> can put in the registry. The scoring is
/// injected because it needs the evaluators of <c>Aigc.Monitoring</c>, which this layer does not reference.
/// </summary>
public sealed class EvaluatePipelineStep : ModelPipelineStep
{
    private readonly IReadOnlyList<string> _inputs;
    private readonly Func<ModelPipelineContext, CancellationToken, Task<ModelPipelineStepOutput>> _evaluate;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly int _version;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="inputs">The earlier steps the evaluation reads.</param>
    /// <param name="evaluate">Scores the models; returns metrics (and values, such as example outputs).</param>
    /// <param name="parameters">What the evaluation does (metric set, held-out size, decoding); part of the fingerprint.</param>
    /// <param name="version">The version of the evaluation code; raise it when the delegate changes.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is invalid.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public EvaluatePipelineStep(
        string id,
        IReadOnlyList<string> inputs,
        Func<ModelPipelineContext, CancellationToken, Task<ModelPipelineStepOutput>> evaluate,
        IReadOnlyDictionary<string, string>? parameters = null,
        int version = 1)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(evaluate);
        _inputs = [.. inputs];
        _evaluate = evaluate;
        _parameters = parameters ?? StepParameters.None;
        _version = version;
    }

    /// <inheritdoc />
    public override int Version => _version;

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => _inputs;

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_parameters);

    /// <inheritdoc />
    public override async Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await _evaluate(context, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The evaluation of step '{Id}' returned no output.");
    }
}
