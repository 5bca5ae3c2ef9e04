using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Aigc.Inference;

/// <summary>Validates a model's <see cref="TextGenerationOptions"/> at start-up, naming each bad key under its configuration path.</summary>
internal sealed class TextGenerationOptionsValidator(string key, string path) : IValidateOptions<TextGenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, TextGenerationOptions options)
    {
        if (name != key)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        Check(options, path, failures);
        Check(options.Engine, path + ":Engine", failures);
        if (options.Model is { } model)
        {
            // A registered model brings its own file.
            failures.RemoveAll(f => f.StartsWith(path + ":Engine:" + nameof(GenerationEngineOptions.ModelPath) + ":", StringComparison.Ordinal));
            if (!ModelTarget.TryParse(model, out _, out var error))
            {
                failures.Add($"{path}:{nameof(TextGenerationOptions.Model)}: {error}");
            }

            Check(options.Routing, path + ":" + nameof(TextGenerationOptions.Routing), failures);
        }
        if (options.TemplateDefinition is { Count: > 0 } definition)
        {
            try
            {
                ChatPromptTemplate.FromParameters(definition);
            }
            catch (ArgumentException e)
            {
                failures.Add($"{path}:TemplateDefinition: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object value, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = string.Join(", ", result.MemberNames.Select(m => path + ":" + m));
            failures.Add($"{members}: {result.ErrorMessage}");
        }
    }
}
