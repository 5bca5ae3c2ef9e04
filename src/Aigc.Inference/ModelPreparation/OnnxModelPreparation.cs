using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Aigc.Inference;

/// <summary>
/// Edits ONNX files so that Aigc can serve them batched. Many model-zoo files fix the batch dimension at 1
/// (<c>[1, 3, 224, 224]</c>); <see cref="MakeBatchDimensionSymbolic(byte[], string)"/> turns it into a named,
/// variable dimension on the graph's inputs, outputs and intermediate shapes, so one run takes many rows.
/// </summary>
public static class OnnxModelPreparation
{
    /// <summary>The name given to the batch dimension unless the caller chooses another: <c>batch</c>.</summary>
    public const string DefaultBatchDimensionName = "batch";

    /// <summary>
    /// Makes the leading (batch) dimension symbolic: every graph input (initializers excepted), output and
    /// intermediate value whose first dimension is fixed at 1 gets the symbolic dimension
    /// <paramref name="dimensionName"/>; inputs and outputs already symbolic are renamed to it. A <c>Reshape</c>
    /// whose target shape is a constant starting with 1 keeps the batch size instead (0, "copy the input's
    /// dimension"). Models whose batch size is baked into other constants (for example a computed shape) still
    /// need a re-export with a dynamic axis.
    /// </summary>
    /// <param name="model">The bytes of an ONNX file.</param>
    /// <param name="dimensionName">The symbolic name of the batch dimension.</param>
    /// <returns>The bytes of the edited ONNX file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="dimensionName"/> is null or white space.</exception>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or the graph has no input with a batch dimension.</exception>
    public static byte[] MakeBatchDimensionSymbolic(byte[] model, string dimensionName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(dimensionName);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new InvalidDataException("The bytes are not an ONNX model (ModelProto could not be parsed).", exception);
        }

        var graph = proto.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            initializers.Add(initializer.Name);
        }

        var batchedInputs = 0;
        foreach (var input in graph.Input)
        {
            if (!initializers.Contains(input.Name) && SetLeading(input, dimensionName, renameSymbolic: true))
            {
                batchedInputs++;
            }
        }

        if (batchedInputs == 0)
        {
            throw new InvalidDataException("No graph input has a leading dimension of 1 or a symbolic one, so there is no batch dimension to make symbolic.");
        }

        foreach (var output in graph.Output)
        {
            SetLeading(output, dimensionName, renameSymbolic: true);
        }

        foreach (var value in graph.ValueInfo)
        {
            SetLeading(value, dimensionName, renameSymbolic: false);
        }

        KeepBatchInReshapes(graph, initializers);
        return proto.ToByteArray();
    }

    /// <summary>Makes the leading (batch) dimension symbolic, named <c>batch</c>; see <see cref="MakeBatchDimensionSymbolic(byte[], string)"/>.</summary>
    /// <param name="model">The bytes of an ONNX file.</param>
    /// <returns>The bytes of the edited ONNX file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or the graph has no input with a batch dimension.</exception>
    public static byte[] MakeBatchDimensionSymbolic(byte[] model) => MakeBatchDimensionSymbolic(model, DefaultBatchDimensionName);

    /// <summary>Reads an ONNX file, makes its batch dimension symbolic (named <c>batch</c>) and writes the result.</summary>
    /// <param name="sourcePath">The ONNX file to read.</param>
    /// <param name="destinationPath">The file to write (replaced when it exists; may equal <paramref name="sourcePath"/>).</param>
    /// <exception cref="ArgumentException">A path is null or empty.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="sourcePath"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or has no batch dimension to make symbolic.</exception>
    public static void MakeBatchDimensionSymbolic(string sourcePath, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"The model file '{sourcePath}' does not exist.", sourcePath);
        }

        var edited = MakeBatchDimensionSymbolic(File.ReadAllBytes(sourcePath), DefaultBatchDimensionName);
        var temporary = destinationPath + ".tmp";
        File.WriteAllBytes(temporary, edited);
        File.Move(temporary, destinationPath, overwrite: true);
    }

    private static bool SetLeading(ValueInfoProto value, string dimensionName, bool renameSymbolic)
    {
        if (value.Type?.TensorType?.Shape is not { } shape || shape.Dim.Count == 0)
        {
            return false;
        }

        var dimension = shape.Dim[0];
        var fixedAtOne = dimension.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dimension.DimValue == 1;
        var symbolic = dimension.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
        if (!fixedAtOne && !(symbolic && renameSymbolic))
        {
            return false;
        }

        dimension.ClearValue();
        dimension.DimParam = dimensionName;
        return true;
    }

    private static void KeepBatchInReshapes(GraphProto graph, HashSet<string> initializers)
    {
        var byName = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            byName[initializer.Name] = initializer;
        }

        foreach (var node in graph.Node)
        {
            if (node.OpType != "Reshape" || node.Input.Count < 2 || initializers.Contains(node.Input[0])
                || !byName.TryGetValue(node.Input[1], out var shape) || shape.DataType != (int)TensorProto.Types.DataType.Int64)
            {
                continue;
            }

            if (shape.Int64Data.Count > 0)
            {
                if (shape.Int64Data[0] == 1)
                {
                    shape.Int64Data[0] = 0;
                }
            }
            else if (shape.RawData.Length >= sizeof(long))
            {
                var values = MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray();
                if (values[0] == 1)
                {
                    values[0] = 0;
                    shape.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
                }
            }
        }
    }
}
