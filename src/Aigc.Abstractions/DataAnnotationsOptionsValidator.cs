using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Aigc;

/// <summary>
/// Validates options with their DataAnnotations attributes and <see cref="IValidatableObject"/>,
/// and reports every failure with the configuration key it came from (for example <c>Aigc:Data:MinWords</c>).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class DataAnnotationsOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly AigcBuilder _builder;
    private readonly string? _sectionName;

    public DataAnnotationsOptionsValidator(AigcBuilder builder, string? sectionName)
    {
        _builder = builder;
        _sectionName = sectionName;
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        var prefix = _sectionName is null ? _builder.ConfigurationPath : _builder.ConfigurationPath + ":" + _sectionName;
        var failures = new List<string>(results.Count);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : [string.Empty];
            foreach (var member in members)
            {
                var key = member.Length == 0 ? prefix : prefix + ":" + member;
                failures.Add($"{key}: {result.ErrorMessage}");
            }
        }

        return ValidateOptionsResult.Fail(failures);
    }
}
