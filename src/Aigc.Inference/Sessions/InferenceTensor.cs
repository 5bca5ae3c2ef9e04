using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>
/// A dense tensor passed to or returned from a model: an element type, a shape and the elements in row-major
/// order. Create one with <see cref="Create{T}(ReadOnlyMemory{T}, ReadOnlySpan{long})"/> or
/// <see cref="InferenceTensor{T}"/>; read a typed one back with <see cref="As{T}"/>.
/// </summary>
/// <remarks>
/// The batcher reads an input tensor's elements while the request is queued or running, without copying them
/// first: do not change the memory behind a tensor until the request that carries it has completed.
/// </remarks>
public abstract class InferenceTensor
{
    private readonly long[] _shape;

    private protected InferenceTensor(TensorElementType elementType, ReadOnlySpan<long> shape, int length)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be zero or more; the shape {Format(shape)} has {dimension}.", nameof(shape));
            }

            count = checked(count * dimension);
        }

        if (count != length)
        {
            throw new ArgumentException($"The shape {Format(shape)} needs {count} elements, but the data has {length}.", nameof(shape));
        }

        ElementType = elementType;
        _shape = shape.ToArray();
        ElementCount = length;
    }

    /// <summary>Gets the element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Gets the shape.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets the number of elements.</summary>
    public int ElementCount { get; }

    /// <summary>Gets the leading (batch) dimension: the number of rows, or 1 for a scalar.</summary>
    public long Rows => _shape.Length == 0 ? 1 : _shape[0];

    internal long[] ShapeArray => _shape;

    internal abstract ReadOnlySpan<byte> Bytes { get; }

    internal abstract Span<byte> WritableBytes { get; }

    /// <summary>Wraps the elements in an ONNX Runtime value without copying them (the memory stays pinned until it is disposed).</summary>
    internal abstract Microsoft.ML.OnnxRuntime.OrtValue CreateOrtValue();

    /// <summary>Creates a tensor over existing memory, without copying it.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/>, <see cref="double"/>, <see cref="long"/>, <see cref="int"/>, <see cref="short"/>, <see cref="sbyte"/>, <see cref="ulong"/>, <see cref="uint"/>, <see cref="ushort"/>, <see cref="byte"/>, <see cref="bool"/>, <see cref="Microsoft.ML.OnnxRuntime.Float16"/> or <see cref="Microsoft.ML.OnnxRuntime.BFloat16"/>.</typeparam>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The shape; its product must equal the number of elements.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The shape does not match the data, or has a negative dimension.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static InferenceTensor<T> Create<T>(ReadOnlyMemory<T> data, params ReadOnlySpan<long> shape)
        where T : unmanaged
        => new(data, shape);

    /// <summary>Returns this tensor typed, for reading its elements.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>This tensor as <see cref="InferenceTensor{T}"/>.</returns>
    /// <exception cref="InvalidCastException">The tensor's elements are not <typeparamref name="T"/>.</exception>
    public InferenceTensor<T> As<T>()
        where T : unmanaged
        => this as InferenceTensor<T>
           ?? throw new InvalidCastException($"The tensor holds {ElementType} elements, not {typeof(T).Name}.");

    /// <inheritdoc/>
    public override string ToString() => $"{ElementType} {Format(_shape)}";

    internal static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
