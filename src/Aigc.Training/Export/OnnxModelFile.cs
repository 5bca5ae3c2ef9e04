using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace Aigc.Training;

/// <summary>Writes a model proto with its initializers, inline or (above a size threshold) in one external data file.</summary>
internal static class OnnxModelFile
{
    /// <summary>Tensors smaller than this stay inline even in external-data mode (the ONNX tools' default).</summary>
    private const long InlineBelow = 1024;

    /// <summary>External tensors start at multiples of this (a page), so ONNX Runtime can map them.</summary>
    private const long Alignment = 4096;

    /// <summary>Writes the model; returns the external data file, or <see langword="null"/> when every weight is inline.</summary>
    public static string? Save(ModelProto model, IReadOnlyList<OnnxInitializer> initializers, string path, long threshold)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var total = initializers.Sum(i => i.ByteLength);
        var external = total > threshold;
        string? dataPath = null;
        if (external)
        {
            var dataName = Path.GetFileName(fullPath) + "_data";
            dataPath = Path.Combine(directory, dataName);
            using var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            foreach (var initializer in initializers)
            {
                if (initializer.ByteLength < InlineBelow)
                {
                    initializer.Embed();
                    continue;
                }

                var offset = (data.Position + Alignment - 1) / Alignment * Alignment;
                while (data.Position < offset)
                {
                    data.WriteByte(0);
                }

                data.Write(initializer.Data);
                var proto = initializer.Proto;
                proto.DataLocation = TensorProto.Types.DataLocation.External;
                proto.ExternalData.Add(Entry("location", dataName));
                proto.ExternalData.Add(Entry("offset", offset.ToString(CultureInfo.InvariantCulture)));
                proto.ExternalData.Add(Entry("length", initializer.ByteLength.ToString(CultureInfo.InvariantCulture)));
            }
        }
        else
        {
            foreach (var initializer in initializers)
            {
                initializer.Embed();
            }
        }

        model.Graph.Initializer.Clear();
        model.Graph.Initializer.AddRange(initializers.Select(i => i.Proto));
        var size = model.CalculateSize();
        if (size < 0 || size >= int.MaxValue)
        {
            throw new NotSupportedException(
                $"The model proto would be {size} bytes, over protobuf's 2 GiB limit; lower OnnxExportOptions.ExternalDataThreshold so the weights go to an external data file.");
        }

        using (var file = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            model.WriteTo(file);
        }

        // The bytes now live in the file: drop the inline copies.
        foreach (var initializer in initializers)
        {
            initializer.Proto.RawData = ByteString.Empty;
        }

        return dataPath;
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
