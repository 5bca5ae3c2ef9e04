namespace Aigc.Training;

/// <summary>How <see cref="OnnxQuantizer"/> stores and computes a decoder's weight matrices.</summary>
public enum OnnxQuantizationMethod
{
    /// <summary>
    /// Weight-only int8, symmetric, one scale per output channel: each weight becomes an int8 initializer with float
    /// scales and int8 zero points (all 0), and a <c>DequantizeLinear</c> (<c>axis</c> = the output channel) feeds its
    /// <c>MatMul</c>/<c>Gemm</c>/<c>Gather</c> consumers. Plain ONNX operators: it runs on every execution provider.
    /// </summary>
    WeightOnlyInt8,

    /// <summary>
    /// Weight-only int8 through ONNX Runtime's <c>com.microsoft.MatMulNBits</c> (<c>bits</c> = 8): symmetric codes
    /// (stored as uint8 around the zero point 128) with one scale per output channel and block of
    /// <see cref="OnnxQuantizationOptions.BlockSize"/> inputs; ONNX Runtime's CPU kernels multiply them directly.
    /// The embedding table tied to the LM head is gathered row by row from the same codes.
    /// </summary>
    WeightOnlyInt8MatMulNBits,

    /// <summary>
    /// Dynamic activation int8: weights int8 symmetric per output channel; each <c>MatMul</c>'s input is quantized at
    /// run time by <c>DynamicQuantizeLinear</c> (uint8) and multiplied by <c>MatMulInteger</c>, then rescaled
    /// (<c>Cast</c>, <c>Mul</c>) — the layout of ONNX Runtime's dynamic quantizer, which ONNX Runtime fuses into
    /// <c>DynamicQuantizeMatMul</c> at its full optimisation level.
    /// </summary>
    DynamicInt8,

    /// <summary>
    /// Float16 weights and compute, for GPUs: every float initializer becomes float16 (clamped to ±65504), float inputs
    /// are cast to float16 and float outputs back to float32, so the Optimum interface (names and float32 types) stays.
    /// </summary>
    Float16,
}
