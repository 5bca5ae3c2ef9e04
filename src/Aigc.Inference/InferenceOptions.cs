using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>Settings of the Aigc.Inference package, bound from the configuration section <c>Aigc:Inference</c>.</summary>
public sealed class InferenceOptions : IValidatableObject
{
    /// <summary>The name of the sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Inference";

    /// <summary>Gets or sets the ONNX Runtime execution provider sessions use.</summary>
    /// <value>The default value is <see cref="ExecutionProvider.Auto"/>: CUDA when available, otherwise CPU with one warning.</value>
    [EnumDataType(typeof(ExecutionProvider))]
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>Gets or sets the CUDA device sessions use when the execution provider is CUDA.</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 64)]
    public int DeviceId { get; set; } = 0;

    /// <summary>
    /// Gets the models to serve, by name (<c>Aigc:Inference:Models:&lt;name&gt;</c>). Each is available as the keyed
    /// service <see cref="BatchedModel"/> under its name, loaded (and warmed up) on first use; a model's
    /// <see cref="ModelSessionOptions.ExecutionProvider"/> and <see cref="ModelSessionOptions.DeviceId"/> default to
    /// <see cref="ExecutionProvider"/> and <see cref="DeviceId"/>.
    /// </summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, InferenceModelOptions> Models { get; } = new Dictionary<string, InferenceModelOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds (or replaces) a model to serve.</summary>
    /// <param name="name">The model name, also its DI key.</param>
    /// <param name="path">The path of the model's <c>.onnx</c> file.</param>
    /// <param name="configure">Configures the model's session and batching options; <see langword="null"/> for the defaults.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is null or white space.</exception>
    public InferenceOptions AddModel(string name, string path, Action<InferenceModelOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = new InferenceModelOptions { Path = path };
        configure?.Invoke(model);
        Models[name] = model;
        return this;
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var pair in Models)
        {
            var prefix = $"{nameof(Models)}:{pair.Key}";
            if (pair.Value is not { } model)
            {
                yield return new ValidationResult("The model has no settings.", [prefix]);
                continue;
            }

            var hasPath = !string.IsNullOrWhiteSpace(model.Path);
            var hasModel = !string.IsNullOrWhiteSpace(model.Model);
            if (hasPath == hasModel)
            {
                yield return new ValidationResult(
                    hasPath
                        ? "Give either Path (a local .onnx file) or Model (a registered model such as '@champion'), not both."
                        : "The model's Path (its .onnx file) or Model (a registered model such as '@champion' or 'models:/writer/3') is required.",
                    [prefix + ":" + nameof(InferenceModelOptions.Path)]);
            }

            if (hasModel && !ModelTarget.TryParse(model.Model, out _, out var modelError))
            {
                yield return new ValidationResult(modelError, [prefix + ":" + nameof(InferenceModelOptions.Model)]);
            }

            if (hasModel)
            {
                foreach (var result in ValidateNested(model.Routing, prefix + ":" + nameof(InferenceModelOptions.Routing)))
                {
                    yield return result;
                }
            }

            foreach (var result in ValidateNested(model.Session, prefix + ":" + nameof(InferenceModelOptions.Session)))
            {
                yield return result;
            }

            foreach (var result in ValidateNested(model.Batching, prefix + ":" + nameof(InferenceModelOptions.Batching)))
            {
                yield return result;
            }
        }
    }

    private static IEnumerable<ValidationResult> ValidateNested(object? value, string prefix)
    {
        if (value is null)
        {
            return [new ValidationResult("The settings are missing.", [prefix])];
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        var prefixed = new List<ValidationResult>(results.Count);
        foreach (var result in results)
        {
            var members = new List<string>();
            foreach (var member in result.MemberNames)
            {
                members.Add(prefix + ":" + member);
            }

            prefixed.Add(new ValidationResult(result.ErrorMessage, members.Count > 0 ? members : [prefix]));
        }

        return prefixed;
    }
}
