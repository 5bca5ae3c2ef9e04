using System.ComponentModel.DataAnnotations;

namespace Aigc;

/// <summary>
/// Settings shared by every Aigc package, bound from the configuration section <c>Aigc</c>.
/// </summary>
/// <remarks>
/// Each layer package has its own options class bound from <c>Aigc:&lt;Layer&gt;</c>
/// (for example <c>Aigc:Data</c>); this class holds only what all of them share.
/// </remarks>
public sealed class AigcOptions : IValidatableObject
{
    /// <summary>The name of the configuration section the options are conventionally bound from.</summary>
    public const string SectionName = "Aigc";

    /// <summary>
    /// Gets or sets the folder under which Aigc keeps its datasets, checkpoints, registry and artifacts.
    /// A relative path is resolved against the process's current directory.
    /// </summary>
    /// <value>The default value is <c>.aigc</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string RootPath { get; set; } = ".aigc";

    /// <summary>Gets or sets the seed every seedable step uses when it is not given one of its own.</summary>
    /// <value>The default value is <c>42</c>.</value>
    [Range(0, int.MaxValue)]
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how many threads CPU-bound steps (data processing, tokenization) may use at once.</summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>.</value>
    [Range(1, 4096)]
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets the full path of <see cref="RootPath"/>, resolved against the current directory.</summary>
    /// <returns>The absolute root folder.</returns>
    public string GetFullRootPath() => Path.GetFullPath(RootPath);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(RootPath) && RootPath.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult(
                $"The path '{RootPath}' contains characters that are not allowed in a path.",
                [nameof(RootPath)]);
        }
    }
}
