using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>Settings of the Aigc.Training package, bound from the configuration section <c>Aigc:Training</c>.</summary>
public sealed class TrainingOptions
{
    /// <summary>The name of the sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Training";

    /// <summary>Gets or sets the device training runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>The default value is <c>cpu</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "The device must be 'cpu', 'cuda' or 'cuda:N'.")]
    public string Device { get; set; } = "cpu";

    /// <summary>Gets or sets the folder, relative to <see cref="Aigc.AigcOptions.RootPath"/> unless rooted, that holds training runs and their checkpoints.</summary>
    /// <value>The default value is <c>checkpoints</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string CheckpointsDirectory { get; set; } = "checkpoints";
}
