using System.Globalization;
using System.Text;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Inference;

/// <summary>Writes a Triton <c>config.pbtxt</c> (protobuf text format of Triton's <c>ModelConfig</c>) from an ONNX graph.</summary>
internal static class TritonConfigWriter
{
    public static string Write(string name, int version, GraphProto graph, TritonExportOptions options)
    {
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var outputs = graph.Output.ToList();
        var batched = inputs.Count > 0 && inputs.Concat(outputs).All(HasVariableLeadingDimension);

        var text = new StringBuilder();
        text.Append("name: ").Append(Quote(name)).Append('\n');
        text.Append("platform: \"onnxruntime_onnx\"\n");
        text.Append("max_batch_size: ").Append(batched ? options.MaxBatchSize : 0).Append('\n');
        WriteTensors(text, "input", inputs, batched);
        WriteTensors(text, "output", outputs, batched);
        if (batched)
        {
            text.Append("dynamic_batching {\n");
            if (options.PreferredBatchSizes.Count > 0)
            {
                text.Append("  preferred_batch_size: [ ").Append(string.Join(", ", options.PreferredBatchSizes)).Append(" ]\n");
            }

            text.Append("  max_queue_delay_microseconds: ")
                .Append(((long)(options.MaxQueueDelay.Ticks / (TimeSpan.TicksPerMillisecond / 1000))).ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("}\n");
        }

        text.Append("instance_group [\n  {\n    count: ").Append(options.InstanceCount).Append("\n    kind: ")
            .Append(options.InstanceKind switch { ExecutionProvider.Cpu => "KIND_CPU", ExecutionProvider.Cuda => "KIND_GPU", _ => "KIND_AUTO" })
            .Append("\n  }\n]\n");
        text.Append("version_policy: { specific: { versions: [ ").Append(version.ToString(CultureInfo.InvariantCulture)).Append(" ] } }\n");
        return text.ToString();
    }

    private static void WriteTensors(StringBuilder text, string field, List<ValueInfoProto> values, bool batched)
    {
        text.Append(field).Append(" [\n");
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var tensor = value.Type?.TensorType
                ?? throw new ModelLoadException($"The graph's {field} '{value.Name}' is not a tensor; Triton's ONNX backend serves tensors only.");
            var dims = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1L).ToList()
                ?? throw new ModelLoadException($"The graph's {field} '{value.Name}' has no shape; export the model with shapes on its inputs and outputs.");
            if (batched)
            {
                dims.RemoveAt(0);
            }

            text.Append("  {\n    name: ").Append(Quote(value.Name)).Append('\n');
            text.Append("    data_type: ").Append(DataTypeName((DataType)tensor.ElemType, value.Name)).Append('\n');
            text.Append("    dims: [ ").Append(dims.Count == 0 && batched ? "1" : string.Join(", ", dims)).Append(" ]\n");
            if (dims.Count == 0 && batched)
            {
                text.Append("    reshape: { shape: [ ] }\n");
            }

            text.Append(i < values.Count - 1 ? "  },\n" : "  }\n");
        }

        text.Append("]\n");
    }

    private static bool HasVariableLeadingDimension(ValueInfoProto value) =>
        value.Type?.TensorType?.Shape is { Dim.Count: > 0 } shape && shape.Dim[0].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;

    private static string DataTypeName(DataType type, string tensor) => type switch
    {
        DataType.Float => "TYPE_FP32",
        DataType.Double => "TYPE_FP64",
        DataType.Float16 => "TYPE_FP16",
        DataType.Bfloat16 => "TYPE_BF16",
        DataType.Int8 => "TYPE_INT8",
        DataType.Int16 => "TYPE_INT16",
        DataType.Int32 => "TYPE_INT32",
        DataType.Int64 => "TYPE_INT64",
        DataType.Uint8 => "TYPE_UINT8",
        DataType.Uint16 => "TYPE_UINT16",
        DataType.Uint32 => "TYPE_UINT32",
        DataType.Uint64 => "TYPE_UINT64",
        DataType.Bool => "TYPE_BOOL",
        DataType.String => "TYPE_STRING",
        _ => throw new ModelLoadException($"The tensor '{tensor}' has ONNX data type {type}, which Triton has no data type for."),
    };

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
