using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>Saves and loads named TorchSharp tensors as safetensors files (float32, float16, bfloat16, int64, int32, uint8).</summary>
public static class TensorStateFile
{
    /// <summary>Writes tensors to a safetensors file (with <c>{"format":"pt"}</c> and any extra metadata).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">Extra string metadata, or <see langword="null"/>.</param>
    /// <exception cref="NotSupportedException">A tensor has a dtype safetensors here does not handle.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var writer = new SafeTensorsWriter();
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                writer.Metadata[key] = value;
            }
        }

        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            using var cpu = tensor.detach().cpu().contiguous();
            var shape = cpu.shape;
            switch (cpu.dtype)
            {
                case ScalarType.Float32: writer.Add(name, shape, cpu.data<float>().ToArray()); break;
                case ScalarType.Float16: writer.Add(name, shape, cpu.data<Half>().ToArray()); break;
                case ScalarType.BFloat16: writer.Add(name, SafeTensorsDType.BF16, shape, (ReadOnlyMemory<short>)MemoryMarshal.Cast<byte, short>(cpu.bytes.ToArray()).ToArray()); break;
                case ScalarType.Int64: writer.Add(name, shape, cpu.data<long>().ToArray()); break;
                case ScalarType.Int32: writer.Add(name, shape, cpu.data<int>().ToArray()); break;
                case ScalarType.Byte: writer.Add(name, shape, cpu.data<byte>().ToArray()); break;
                default: throw new NotSupportedException($"Tensor '{name}' has dtype {cpu.dtype}; supported: float32, float16, bfloat16, int64, int32, uint8.");
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        writer.WriteToFile(path);
    }

    /// <summary>Reads every tensor of a safetensors file into CPU tensors.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The tensors by name and the file's metadata.</returns>
    /// <exception cref="SafeTensorsFormatException">The file breaks the format.</exception>
    /// <exception cref="NotSupportedException">A tensor has a dtype not handled here.</exception>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in reader.Header.Tensors)
        {
            var shape = info.Shape.ToArray();
            tensors[info.Name] = info.DType switch
            {
                SafeTensorsDType.F32 => torch.tensor(reader.ReadTensor<float>(info.Name), shape),
                SafeTensorsDType.F16 => torch.tensor(reader.ReadTensor<Half>(info.Name), shape),
                SafeTensorsDType.I64 => torch.tensor(reader.ReadTensor<long>(info.Name), shape),
                SafeTensorsDType.I32 => torch.tensor(reader.ReadTensor<int>(info.Name), shape),
                SafeTensorsDType.U8 => torch.tensor(reader.ReadTensor<byte>(info.Name), shape),
                SafeTensorsDType.BF16 => LoadBFloat16(reader, info.Name, shape),
                _ => throw new NotSupportedException($"{path}: tensor '{info.Name}' has dtype {info.DType}; supported: F32, F16, BF16, I64, I32, U8."),
            };
        }

        return (tensors, reader.Header.Metadata);
    }

    private static Tensor LoadBFloat16(SafeTensorsReader reader, string name, long[] shape)
    {
        // bfloat16 is the upper half of a float32: widen exactly, then narrow back (lossless).
        var raw = reader.ReadTensor<short>(name);
        var widened = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            widened[i] = BitConverter.Int32BitsToSingle((ushort)raw[i] << 16);
        }

        return torch.tensor(widened, shape).to(ScalarType.BFloat16);
    }
}
