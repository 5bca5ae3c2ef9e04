using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>Settings of the Aigc.Inference package, bound from the configuration section <c>Aigc:Inference</c>.</summary>
public sealed class InferenceOptions
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
}
