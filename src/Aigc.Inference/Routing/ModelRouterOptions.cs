using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>
/// How a <see cref="ModelRouter{TModel}"/> splits traffic (canary), mirrors it (shadow) and retries versions that
/// failed to load.
/// </summary>
public sealed class ModelRouterOptions : IValidatableObject
{
    /// <summary>
    /// Gets the routes and their weights. Empty means one route, <c>@champion</c>. The first route is the primary: a
    /// request whose route has nothing loaded (its version failed to load) goes there instead; a canary is
    /// <c>[@champion 90, @challenger 10]</c>. A request with a routing key always takes the same route while the
    /// weights stay the same (a stable hash of the key picks it).
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<ModelRoute> Routes { get; } = new List<ModelRoute>();

    /// <summary>
    /// Gets or sets a target that receives a copy of requests made through <c>RunAsync</c>, off the hot path; its
    /// answers are discarded and only its latency and errors are recorded. <see langword="null"/> for none.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Shadow { get; set; }

    /// <summary>Gets or sets the fraction of requests mirrored to <see cref="Shadow"/>.</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(0.0, 1.0)]
    public double ShadowSampleRate { get; set; } = 1;

    /// <summary>Gets or sets the most mirrored requests running at once; mirrors beyond it are dropped (and counted).</summary>
    /// <value>The default value is <c>16</c>.</value>
    [Range(1, 4096)]
    public int MaxShadowConcurrency { get; set; } = 16;

    /// <summary>
    /// Gets or sets how long the router waits before it tries again a version that failed to load while its alias
    /// still points at it; the wait doubles after each failure, up to <see cref="MaxRetryDelay"/>. Moving the alias
    /// to the version again tries at once.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest wait between tries of a version that keeps failing.</summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Routes.Count; i++)
        {
            var route = Routes[i];
            if (route is null)
            {
                yield return new ValidationResult("A route is missing.", [$"{nameof(Routes)}:{i}"]);
                continue;
            }

            if (!ModelTarget.TryParse(route.Target, out _, out var error))
            {
                yield return new ValidationResult(error, [$"{nameof(Routes)}:{i}:{nameof(ModelRoute.Target)}"]);
            }

            if (!(route.Weight >= 0) || double.IsInfinity(route.Weight))
            {
                yield return new ValidationResult($"The weight {route.Weight} must be a finite number of at least 0.", [$"{nameof(Routes)}:{i}:{nameof(ModelRoute.Weight)}"]);
            }
        }

        if (Routes.Count > 0 && Routes.All(r => r is not null && r.Weight == 0))
        {
            yield return new ValidationResult("At least one route needs a weight above 0.", [nameof(Routes)]);
        }

        if (Shadow is not null && !ModelTarget.TryParse(Shadow, out _, out var shadowError))
        {
            yield return new ValidationResult(shadowError, [nameof(Shadow)]);
        }

        if (MaxRetryDelay < RetryDelay)
        {
            yield return new ValidationResult($"MaxRetryDelay ({MaxRetryDelay}) must not be shorter than RetryDelay ({RetryDelay}).", [nameof(MaxRetryDelay)]);
        }
    }

    internal void ThrowIfInvalid(string parameterName)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                "The model router options are not valid: " + string.Join(" ", results.Select(r => $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}")),
                parameterName);
        }
    }

    internal ModelRouterOptions Clone()
    {
        var copy = new ModelRouterOptions
        {
            Shadow = Shadow,
            ShadowSampleRate = ShadowSampleRate,
            MaxShadowConcurrency = MaxShadowConcurrency,
            RetryDelay = RetryDelay,
            MaxRetryDelay = MaxRetryDelay,
        };
        foreach (var route in Routes)
        {
            copy.Routes.Add(new ModelRoute { Target = route.Target, Weight = route.Weight });
        }

        return copy;
    }
}
