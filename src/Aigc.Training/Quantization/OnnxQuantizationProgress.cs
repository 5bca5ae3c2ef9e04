namespace Aigc.Training;

/// <summary>Progress of <see cref="OnnxQuantizer.Quantize"/>: reported after each weight is converted, and once when the file is written.</summary>
/// <param name="Completed">The weights converted so far.</param>
/// <param name="Total">The weights to convert.</param>
/// <param name="Weight">The weight just converted, or <see langword="null"/> for the final report (file written).</param>
public readonly record struct OnnxQuantizationProgress(int Completed, int Total, string? Weight);
