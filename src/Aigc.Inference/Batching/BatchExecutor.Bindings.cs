using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

// The executor's pinned buffers and the IO bindings over them, cached per batch shape.
internal sealed partial class BatchExecutor
{
    private static long FixedBytes(ModelTensorInfo info, int elementSize, int maxRows)
    {
        long bytes = (long)maxRows * elementSize;
        for (var d = 1; d < info.Rank; d++)
        {
            if (info.Dimensions[d] < 0)
            {
                return MinimumBuffer;
            }

            bytes *= info.Dimensions[d];
        }

        return bytes;
    }

    private static byte[] Allocate(long bytes)
        => GC.AllocateUninitializedArray<byte>(checked((int)Math.Max(bytes, MinimumBuffer)), pinned: true);

    private static long Product(ReadOnlySpan<long> dimensions)
    {
        long product = 1;
        foreach (var dimension in dimensions)
        {
            product *= dimension;
        }

        return product;
    }

    /// <summary>Computes the batch's input and output shapes, grows buffers if needed, and finds (or makes) the binding for them.</summary>
    private BoundShape Prepare(Batch batch, out bool temporary)
    {
        var inputs = _layout.Inputs;
        var first = batch.Requests[0];
        _symbols.Clear();
        var grown = false;
        for (var i = 0; i < inputs.Length; i++)
        {
            var plan = inputs[i];
            var shape = _inputShapes[i];
            var source = first.Tensors[i];
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = d == 0 ? batch.Rows : plan.Padded && d == 1 ? batch.SequenceLength : source!.Shape[d];
                if (plan.Info.Dimensions[d] < 0 && plan.Info.SymbolicDimensions[d] is { Length: > 0 } name)
                {
                    _symbols[name] = shape[d];
                }
            }

            grown |= EnsureCapacity(ref _inputBuffers[i], Product(shape) * plan.ElementSize);
        }

        var outputs = _layout.Outputs;
        var hasDynamic = false;
        for (var j = 0; j < outputs.Length; j++)
        {
            var info = outputs[j].Info;
            var shape = _outputShapes[j];
            var resolved = true;
            for (var d = 0; d < shape.Length; d++)
            {
                if (d == 0)
                {
                    shape[d] = batch.Rows;
                }
                else if (info.Dimensions[d] >= 0)
                {
                    shape[d] = info.Dimensions[d];
                }
                else if (info.SymbolicDimensions[d] is { Length: > 0 } name && _symbols.TryGetValue(name, out var value))
                {
                    shape[d] = value;
                }
                else
                {
                    resolved = false;
                }
            }

            _outputResolved[j] = resolved;
            hasDynamic |= !resolved;
            if (resolved)
            {
                grown |= EnsureCapacity(ref _outputBuffers[j], Product(shape) * outputs[j].ElementSize);
            }
        }

        if (grown)
        {
            DisposeBound();
        }

        if (_layout.HasMatchedDimensions)
        {
            temporary = true;
            return CreateBound(hasDynamic);
        }

        temporary = false;
        var key = ((long)batch.SequenceLength << 32) | (uint)batch.Rows;
        if (!_bound.TryGetValue(key, out var bound))
        {
            if (_bound.Count >= MaxCachedShapes)
            {
                DisposeBound();
            }

            bound = CreateBound(hasDynamic);
            _bound.Add(key, bound);
        }

        return bound;
    }

    private static bool EnsureCapacity(ref byte[] buffer, long bytes)
    {
        if (bytes <= buffer.Length)
        {
            return false;
        }

        buffer = Allocate(Math.Max(bytes, buffer.Length + (buffer.Length / 2)));
        return true;
    }

    private BoundShape CreateBound(bool hasDynamic)
    {
        var inputs = _layout.Inputs;
        var outputs = _layout.Outputs;
        var values = new List<OrtValue>(inputs.Length + outputs.Length);
        var outputShapes = new long[outputs.Length][];
        var binding = _session.CreateIoBinding();
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var value = CreateValue(inputs[i].Info, inputs[i].ElementSize, _inputShapes[i], _inputBuffers[i]);
                values.Add(value);
                binding.BindInput(inputs[i].Name, value);
            }

            for (var j = 0; j < outputs.Length; j++)
            {
                outputShapes[j] = (long[])_outputShapes[j].Clone();
                if (_outputResolved[j])
                {
                    var value = CreateValue(outputs[j].Info, outputs[j].ElementSize, _outputShapes[j], _outputBuffers[j]);
                    values.Add(value);
                    binding.BindOutput(outputs[j].Name, value);
                }
                else
                {
                    binding.BindOutputToDevice(outputs[j].Name, OrtMemoryInfo.DefaultInstance);
                }
            }

            return new BoundShape(binding, [.. values], outputShapes, (bool[])_outputResolved.Clone(), hasDynamic);
        }
        catch
        {
            binding.Dispose();
            foreach (var value in values)
            {
                value.Dispose();
            }

            throw;
        }
    }

    private static OrtValue CreateValue(ModelTensorInfo info, int elementSize, long[] shape, byte[] buffer)
    {
        var bytes = Product(shape) * elementSize;
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, info.ElementType, (long[])shape.Clone(), Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0), bytes);
    }

    private void DisposeBound()
    {
        foreach (var bound in _bound.Values)
        {
            bound.Dispose();
        }

        _bound.Clear();
    }

    /// <summary>A binding over this executor's buffers for one batch shape, with the values it binds.</summary>
    private sealed class BoundShape(OrtIoBinding binding, OrtValue[] values, long[][] outputShapes, bool[] resolved, bool hasDynamicOutputs) : IDisposable
    {
        public OrtIoBinding Binding { get; } = binding;

        public long[][] OutputShapes { get; } = outputShapes;

        public bool[] Resolved { get; } = resolved;

        public bool HasDynamicOutputs { get; } = hasDynamicOutputs;

        public void Dispose()
        {
            Binding.Dispose();
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
