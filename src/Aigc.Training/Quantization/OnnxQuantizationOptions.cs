namespace Aigc.Training;

/// <summary>Settings of an ONNX decoder quantization (<see cref="OnnxQuantizer"/>).</summary>
public sealed record OnnxQuantizationOptions
{
    /// <summary>The block sizes <see cref="OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits"/> accepts (ONNX Runtime's kernels).</summary>
    public static IReadOnlyList<int> SupportedBlockSizes { get; } = [16, 32, 64, 128, 256];

    /// <summary>Gets the method.</summary>
    /// <value>
    /// The default value is <see cref="OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits"/>: the fastest per token on CPU in
    /// the quantization benchmark (3.9× float32, dynamic int8 3.3×), and its results do not depend on batch composition.
    /// </value>
    public OnnxQuantizationMethod Method { get; init; } = OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits;

    /// <summary>
    /// Gets the names of nodes (<c>MatMul</c>/<c>Gemm</c>) to keep in float32, for example <c>/lm_head/MatMul</c> for the LM
    /// head. A weight tied to an excluded node stays float32 for every node that reads it.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> ExcludedNodes { get; init; } = [];

    /// <summary>
    /// Gets the number of inputs that share a scale in <see cref="OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits"/>
    /// (one of <see cref="SupportedBlockSizes"/>); the other int8 methods use one scale per whole output channel.
    /// </summary>
    /// <value>The default value is <c>128</c> (scales add 5 bytes per 128 weights: the file stays over 3.5× smaller than float32).</value>
    public int BlockSize { get; init; } = 128;

    /// <summary>
    /// Gets <c>MatMulNBits</c>' <c>accuracy_level</c>: the compute type ONNX Runtime may use, 0 (unset) or 1 for float32,
    /// 4 for int8 (the input quantized per block at run time; fastest on CPU).
    /// </summary>
    /// <value>The default value is <c>4</c>.</value>
    public int MatMulNBitsAccuracyLevel { get; init; } = 4;

    /// <summary>Gets the smallest weight (in elements) worth converting; smaller ones stay float32.</summary>
    /// <value>The default value is <c>1024</c>.</value>
    public int MinimumWeightElements { get; init; } = 1024;

    /// <summary>
    /// Gets the total weight size in bytes above which weights go to an external data file beside the model
    /// (<c>&lt;model file name&gt;_data</c>), as <see cref="OnnxExportOptions.ExternalDataThreshold"/>.
    /// </summary>
    /// <value>The default value is <see cref="OnnxExportOptions.DefaultExternalDataThreshold"/> (2 GB).</value>
    public long ExternalDataThreshold { get; init; } = OnnxExportOptions.DefaultExternalDataThreshold;

    /// <summary>Checks the settings and throws one error listing every problem and what is supported.</summary>
    /// <exception cref="NotSupportedException">A setting is out of range or not supported.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Method))
        {
            problems.Add($"method {(int)Method} is not supported; supported: {string.Join(", ", Enum.GetNames<OnnxQuantizationMethod>())}");
        }

        if (!SupportedBlockSizes.Contains(BlockSize))
        {
            problems.Add($"block size {BlockSize} is not supported; supported: {string.Join(", ", SupportedBlockSizes)}");
        }

        if (MatMulNBitsAccuracyLevel is < 0 or > 4)
        {
            problems.Add($"the MatMulNBits accuracy level must be 0 to 4 (is {MatMulNBitsAccuracyLevel})");
        }

        if (MinimumWeightElements < 1)
        {
            problems.Add($"the minimum weight size must be at least 1 element (is {MinimumWeightElements})");
        }

        if (ExternalDataThreshold < 0)
        {
            problems.Add($"the external data threshold must be zero or more bytes (is {ExternalDataThreshold})");
        }

        if (ExcludedNodes.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("an excluded node name is empty");
        }

        if (problems.Count > 0)
        {
            throw new NotSupportedException("Unsupported ONNX quantization settings: " + string.Join("; ", problems) + ".");
        }
    }
}
