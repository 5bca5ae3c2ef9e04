using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>A dense tensor with elements of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The element type (see <see cref="InferenceTensor.Create{T}(ReadOnlyMemory{T}, ReadOnlySpan{long})"/> for the supported types).</typeparam>
public sealed class InferenceTensor<T> : InferenceTensor
    where T : unmanaged
{
    private readonly ReadOnlyMemory<T> _data;

    /// <summary>Initializes a tensor over existing memory, without copying it.</summary>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The shape; its product must equal the number of elements.</param>
    /// <exception cref="ArgumentException">The shape does not match the data, or has a negative dimension.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public InferenceTensor(ReadOnlyMemory<T> data, params ReadOnlySpan<long> shape)
        : base(TensorElementTypes.Of<T>(), shape, data.Length)
    {
        _data = data;
    }

    /// <summary>Gets the elements in row-major order.</summary>
    public ReadOnlyMemory<T> Data => _data;

    /// <summary>Gets the elements in row-major order.</summary>
    public ReadOnlySpan<T> Span => _data.Span;

    internal override ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(_data.Span);

    internal override Span<byte> WritableBytes => MemoryMarshal.AsBytes(MemoryMarshal.AsMemory(_data).Span);

    internal override OrtValue CreateOrtValue()
        => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(_data), ShapeArray);
}
