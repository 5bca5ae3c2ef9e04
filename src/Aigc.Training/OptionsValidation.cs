using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>Runs the DataAnnotations (and <see cref="IValidatableObject"/>) checks of a settings object and throws one error listing every problem.</summary>
internal static class OptionsValidation
{
    public static void EnsureValid(object options, string what)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ArgumentException($"Invalid {what} options: " + string.Join("; ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")) + ".");
        }
    }
}
