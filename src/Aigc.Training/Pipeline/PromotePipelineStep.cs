using System.Globalization;
using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The promote step, a quality gate: evaluates the candidate a <see cref="RegisterModelPipelineStep"/> registered and
/// the model's current champion alias on the same held-out set, and moves the alias to the candidate only when it
/// wins on <see cref="QualityGateOptions.Metric"/> by <see cref="QualityGateOptions.Margin"/>. The decision and both
/// models' figures are recorded on the candidate version (tags <c>quality_gate.*</c> and its description).
/// </summary>
/// <remarks>
/// The evaluation is injected (a delegate that scores one registered version, for example by serving it with the
/// inference layer and scoring with the monitoring layer), since this layer references neither. With no champion yet,
/// the candidate is scored and promoted. A decision is made once per candidate: a rerun reuses it while the candidate
/// version still carries it (a later step or an operator may move the alias since); run the pipeline with
/// <c>force</c> to decide again.
/// </remarks>
public sealed class PromotePipelineStep : ModelPipelineStep
{
    /// <summary>The output value holding the decision: <c>promoted</c> or <c>rejected</c>.</summary>
    public const string DecisionKey = "decision";

    /// <summary>The output value holding a sentence that explains the decision with its figures.</summary>
    public const string SummaryKey = "summary";

    /// <summary>The tag prefix of the recorded decision.</summary>
    public const string TagPrefix = "quality_gate.";

    private readonly IModelRegistry _registry;
    private readonly string _registerStep;
    private readonly QualityGateOptions _options;
    private readonly Func<ModelVersion, CancellationToken, Task<IReadOnlyDictionary<string, double>>> _evaluate;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="registerStep">The id of the register step whose version is the candidate.</param>
    /// <param name="options">The gate's rule.</param>
    /// <param name="evaluate">Scores one registered version on the held-out set; must return <see cref="QualityGateOptions.Metric"/>.</param>
    /// <exception cref="ArgumentException">An id or the options are invalid.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PromotePipelineStep(string id, IModelRegistry registry, string registerStep, QualityGateOptions options, Func<ModelVersion, CancellationToken, Task<IReadOnlyDictionary<string, double>>> evaluate)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(evaluate);
        ThrowIfInvalidId(registerStep, nameof(registerStep));
        options.EnsureValid();
        _registry = registry;
        _registerStep = registerStep;
        _options = options;
        _evaluate = evaluate;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => [_registerStep];

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new StepParameters()
            .Add("metric", _options.Metric)
            .Add("margin", _options.Margin)
            .Add("higher_is_better", _options.HigherIsBetter)
            .Add("alias", _options.Alias)
            .Add("challenger_alias", _options.ChallengerAlias));

    /// <inheritdoc />
    public override async Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, version) = RegisterModelPipelineStep.GetVersion(context.GetOutput(_registerStep));
        var candidate = await _registry.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException($"The candidate {ModelUri.ForVersion(name, version)} of step '{Id}' is not in the registry.");
        var champion = await ResolveAliasAsync(name, cancellationToken).ConfigureAwait(false);

        var candidateMetrics = await EvaluateAsync(candidate, cancellationToken).ConfigureAwait(false);
        var candidateValue = candidateMetrics[_options.Metric];
        IReadOnlyDictionary<string, double>? championMetrics = null;
        bool promote;
        string summary;
        var metric = _options.Metric;
        if (champion is null)
        {
            promote = true;
            summary = Invariant($"{candidate.Uri} {metric} {candidateValue:0.####}; no @{_options.Alias} yet: promoted");
        }
        else if (champion.Version == candidate.Version)
        {
            promote = true;
            summary = Invariant($"{candidate.Uri} {metric} {candidateValue:0.####}; already @{_options.Alias}");
        }
        else
        {
            championMetrics = await EvaluateAsync(champion, cancellationToken).ConfigureAwait(false);
            var championValue = championMetrics[metric];
            var gain = _options.HigherIsBetter ? candidateValue - championValue : championValue - candidateValue;
            promote = gain >= _options.Margin && (gain > 0 || _options.Margin == 0 && gain == 0);
            summary = Invariant($"{candidate.Uri} {metric} {candidateValue:0.####} vs @{_options.Alias} {champion.Uri} {championValue:0.####}, gain {gain:0.####}, margin {_options.Margin:0.####}: {(promote ? "promoted" : "rejected")}");
        }

        var decision = promote ? "promoted" : "rejected";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TagPrefix + "decision"] = decision,
            [TagPrefix + "metric"] = metric,
            [TagPrefix + "margin"] = Invariant($"{_options.Margin:R}"),
            [TagPrefix + "candidate"] = Invariant($"{candidateValue:R}"),
            [TagPrefix + "champion_version"] = champion?.Version.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            [TagPrefix + "summary"] = summary,
        };
        foreach (var (key, value) in candidateMetrics)
        {
            tags[TagPrefix + "candidate." + key] = Invariant($"{value:R}");
        }

        if (championMetrics is not null)
        {
            tags[TagPrefix + "champion"] = Invariant($"{championMetrics[metric]:R}");
            foreach (var (key, value) in championMetrics)
            {
                tags[TagPrefix + "champion." + key] = Invariant($"{value:R}");
            }
        }

        var description = string.IsNullOrEmpty(candidate.Description) ? "Quality gate: " + summary + "." : candidate.Description.TrimEnd('.') + ". Quality gate: " + summary + ".";
        await _registry.UpdateVersionAsync(name, version, new ModelMetadataUpdate { Description = description, SetTags = tags }, cancellationToken).ConfigureAwait(false);
        if (promote)
        {
            await _registry.SetAliasAsync(name, _options.Alias, version, cancellationToken).ConfigureAwait(false);
        }
        else if (_options.ChallengerAlias is not null)
        {
            await _registry.SetAliasAsync(name, _options.ChallengerAlias, version, cancellationToken).ConfigureAwait(false);
        }

        var metrics = candidateMetrics.ToDictionary(p => "candidate." + p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (key, value) in championMetrics ?? new Dictionary<string, double>())
        {
            metrics["champion." + key] = value;
        }

        var aliasVersion = promote ? version : champion!.Version;
        return new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [DecisionKey] = decision,
                [SummaryKey] = summary,
                [RegisterModelPipelineStep.NameKey] = name,
                ["candidate.version"] = version.ToString(CultureInfo.InvariantCulture),
                ["champion.version"] = champion?.Version.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                ["alias.version"] = aliasVersion.ToString(CultureInfo.InvariantCulture),
            },
            Metrics = metrics,
        };
    }

    /// <inheritdoc />
    public override async ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var version = int.Parse(output.GetValue("candidate.version"), CultureInfo.InvariantCulture);
        var candidate = await _registry.GetVersionAsync(output.GetValue(RegisterModelPipelineStep.NameKey), version, cancellationToken).ConfigureAwait(false);
        return candidate is not null && candidate.Tags.GetValueOrDefault(TagPrefix + "decision") == output.GetValue(DecisionKey);
    }

    private async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var metrics = await _evaluate(version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The quality gate's evaluation returned nothing for {version.Uri}.");
        if (!metrics.TryGetValue(_options.Metric, out var value) || !double.IsFinite(value))
        {
            throw new InvalidOperationException($"The quality gate decides on '{_options.Metric}', but the evaluation of {version.Uri} returned {(metrics.ContainsKey(_options.Metric) ? "a value that is not finite" : "no such metric (it returned: " + string.Join(", ", metrics.Keys) + ")")}.");
        }

        return metrics;
    }

    private async Task<ModelVersion?> ResolveAliasAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.ResolveAsync(ModelUri.ForAlias(name, _options.Alias), cancellationToken).ConfigureAwait(false);
        }
        catch (ModelNotFoundException)
        {
            return null;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
