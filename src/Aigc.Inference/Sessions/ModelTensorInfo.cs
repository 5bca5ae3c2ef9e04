using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>The name, element type and shape of one model input or output.</summary>
public sealed class ModelTensorInfo
{
    private readonly long[] _dimensions;
    private readonly string[] _symbolicDimensions;

    internal ModelTensorInfo(string name, int index, bool isTensor, TensorElementType elementType, long[] dimensions, string[] symbolicDimensions)
    {
        Name = name;
        Index = index;
        IsTensor = isTensor;
        ElementType = elementType;
        _dimensions = dimensions;
        _symbolicDimensions = symbolicDimensions;
    }

    /// <summary>Gets the name of the input or output.</summary>
    public string Name { get; }

    /// <summary>Gets the position of the input or output in the model's list.</summary>
    public int Index { get; }

    /// <summary>Gets a value indicating whether the value is a tensor (not a sequence, map or optional).</summary>
    public bool IsTensor { get; }

    /// <summary>Gets the element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>Gets the dimensions; <c>-1</c> marks a symbolic (variable) dimension.</summary>
    public IReadOnlyList<long> Dimensions => _dimensions;

    /// <summary>Gets the symbolic names of the dimensions (<c>batch</c>, <c>sequence</c>, …); empty for fixed or unnamed ones.</summary>
    public IReadOnlyList<string> SymbolicDimensions => _symbolicDimensions;

    /// <summary>Gets a value indicating whether the leading dimension is symbolic, so requests can be batched along it.</summary>
    public bool HasBatchDimension => _dimensions.Length > 0 && _dimensions[0] < 0;

    internal ReadOnlySpan<long> DimensionSpan => _dimensions;

    /// <summary>Gets a value indicating whether a dimension is symbolic.</summary>
    /// <param name="dimension">The dimension index.</param>
    /// <returns><see langword="true"/> when the dimension is variable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not between 0 and <see cref="Rank"/> - 1.</exception>
    public bool IsSymbolic(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, _dimensions.Length);
        return _dimensions[dimension] < 0;
    }

    /// <summary>Formats the shape as in <c>[batch, 3, 224, 224]</c>.</summary>
    /// <returns>The shape, symbolic dimensions by name (or <c>?</c>).</returns>
    public string FormatShape()
    {
        var parts = new string[_dimensions.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = _dimensions[i] >= 0
                ? _dimensions[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : string.IsNullOrEmpty(_symbolicDimensions[i]) ? "?" : _symbolicDimensions[i];
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {ElementType} {FormatShape()}";
}
