namespace Aigc.Inference;

/// <summary>The ONNX Runtime execution provider a session runs on.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when the CUDA provider loads, otherwise CPU with one warning in the log.</summary>
    Auto = 0,

    /// <summary>The CPU provider.</summary>
    Cpu = 1,

    /// <summary>The CUDA provider; loading fails with an error when CUDA is not available.</summary>
    Cuda = 2,
}
