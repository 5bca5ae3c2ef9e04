using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// One executor of a <see cref="BatchedModel"/>: a dedicated thread that takes batches, copies the requests' rows
/// into its own pinned buffers (padding sequences and building the mask), runs the model once through an
/// <see cref="OrtIoBinding"/> over those buffers, and copies each request's rows of every output into its result.
/// Bindings are cached per batch shape, so a steady stream of batches allocates nothing but the results.
/// </summary>
internal sealed partial class BatchExecutor : IDisposable
{
    private const int MaxCachedShapes = 128;
    private const int MinimumBuffer = 64;

    private readonly BatchedModel _owner;
    private readonly BatchLayout _layout;
    private readonly InferenceSession _session;
    private readonly TimeProvider _time;
    private readonly byte[][] _inputBuffers;
    private readonly byte[][] _outputBuffers;
    private readonly long[][] _inputShapes;
    private readonly long[][] _outputShapes;
    private readonly bool[] _outputResolved;
    private readonly InferenceTensor[]?[] _resultOutputs;
    private readonly Dictionary<string, long> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<long, BoundShape> _bound = [];
    private readonly Thread _thread;

    public BatchExecutor(BatchedModel owner, BatchLayout layout, InferenceSession session, TimeProvider time, int index, string modelName)
    {
        _owner = owner;
        _layout = layout;
        _session = session;
        _time = time;
        var inputs = layout.Inputs;
        var outputs = layout.Outputs;
        _inputBuffers = new byte[inputs.Length][];
        _inputShapes = new long[inputs.Length][];
        for (var i = 0; i < inputs.Length; i++)
        {
            _inputShapes[i] = new long[inputs[i].Info.Rank];
            _inputBuffers[i] = Allocate(FixedBytes(inputs[i].Info, inputs[i].ElementSize, layout.MaxBatchSize));
        }

        _outputBuffers = new byte[outputs.Length][];
        _outputShapes = new long[outputs.Length][];
        _outputResolved = new bool[outputs.Length];
        for (var j = 0; j < outputs.Length; j++)
        {
            _outputShapes[j] = new long[outputs[j].Info.Rank];
            _outputBuffers[j] = Allocate(FixedBytes(outputs[j].Info, outputs[j].ElementSize, layout.MaxBatchSize));
        }

        _resultOutputs = new InferenceTensor[]?[layout.MaxBatchSize];
        _thread = new Thread(() => _owner.ExecutorLoop(this))
        {
            IsBackground = true,
            Name = $"Aigc.Inference {modelName} #{index}",
        };
    }

    /// <summary>The run options of this executor's model executions; terminated when every caller of the running batch cancels.</summary>
    public RunOptions RunOptions { get; } = new();

    public Thread Thread => _thread;

    public void Start() => _thread.Start();

    /// <summary>Runs one batch and records each request's result or error in it. Never throws.</summary>
    public void Execute(Batch batch)
    {
        var start = _time.GetTimestamp();
        var executed = false;
        try
        {
            if (!_owner.StartRunning(batch))
            {
                RunOptions.Terminate = false;
                return;
            }

            _owner.BeforeExecute?.Invoke(batch);

            var bound = Prepare(batch, out var temporary);
            try
            {
                CopyInputs(batch);
                try
                {
                    _session.RunWithBinding(RunOptions, bound.Binding);
                    executed = true;
                }
                finally
                {
                    _owner.StopRunning(batch);
                    RunOptions.Terminate = false;
                }

                if (bound.HasDynamicOutputs)
                {
                    using var values = bound.Binding.GetOutputValues();
                    Split(batch, bound, values);
                }
                else
                {
                    Split(batch, bound, values: null);
                }

                Publish(batch, _time.GetElapsedTime(start));
            }
            finally
            {
                if (temporary)
                {
                    bound.Dispose();
                }
            }
        }
        catch (Exception exception)
        {
            for (var k = 0; k < batch.Count; k++)
            {
                batch.Results[k] = null;
                batch.Errors[k] = exception;
                _resultOutputs[k] = null;
            }
        }
        finally
        {
            _owner.AfterExecute?.Invoke(batch);
            _owner.RecordExecution(batch, executed, _time.GetElapsedTime(start));
        }
    }

    public void Dispose()
    {
        DisposeBound();
        RunOptions.Dispose();
    }

    private void CopyInputs(Batch batch)
    {
        var inputs = _layout.Inputs;
        for (var i = 0; i < inputs.Length; i++)
        {
            var plan = inputs[i];
            var destination = _inputBuffers[i].AsSpan();
            var offset = 0;
            if (!plan.Padded)
            {
                for (var k = 0; k < batch.Count; k++)
                {
                    var source = batch.Requests[k].Tensors[i]!.Bytes;
                    source.CopyTo(destination[offset..]);
                    offset += source.Length;
                }

                continue;
            }

            var shape = _inputShapes[i];
            var positionBytes = (int)Product(shape.AsSpan(2)) * plan.ElementSize;
            var rowBytes = batch.SequenceLength * positionBytes;
            for (var k = 0; k < batch.Count; k++)
            {
                var request = batch.Requests[k];
                var tensor = request.Tensors[i];
                var realBytes = request.SequenceLength * positionBytes;
                for (var row = 0; row < request.Rows; row++)
                {
                    var rowDestination = destination.Slice(offset, rowBytes);
                    if (tensor is null)
                    {
                        TensorElementTypes.Fill(rowDestination[..realBytes], plan.OneElement);
                    }
                    else
                    {
                        tensor.Bytes.Slice(row * realBytes, realBytes).CopyTo(rowDestination);
                    }

                    if (realBytes < rowBytes)
                    {
                        TensorElementTypes.Fill(rowDestination[realBytes..], plan.PadElement);
                    }

                    offset += rowBytes;
                }
            }
        }
    }

    private void Split(Batch batch, BoundShape bound, IReadOnlyList<OrtValue>? values)
    {
        var outputs = _layout.Outputs;
        for (var k = 0; k < batch.Count; k++)
        {
            _resultOutputs[k] = batch.Requests[k].CancelRequested ? null : new InferenceTensor[outputs.Length];
        }

        for (var j = 0; j < outputs.Length; j++)
        {
            var plan = outputs[j];
            ReadOnlySpan<byte> data;
            long[] shape;
            if (bound.Resolved[j])
            {
                shape = bound.OutputShapes[j];
                data = _outputBuffers[j].AsSpan(0, checked((int)(Product(shape) * plan.ElementSize)));
            }
            else
            {
                var value = values![j];
                shape = value.GetTensorTypeAndShape().Shape;
                data = value.GetTensorMutableRawData();
                if (shape.Length == 0 || shape[0] != batch.Rows)
                {
                    throw new InvalidOperationException($"Output '{plan.Name}' has shape {InferenceTensor.Format(shape)}, whose first dimension is not the batch's {batch.Rows} rows; the batcher cannot split it.");
                }
            }

            var rowBytes = (int)(Product(shape.AsSpan(1)) * plan.ElementSize);
            var offset = 0;
            for (var k = 0; k < batch.Count; k++)
            {
                var request = batch.Requests[k];
                var rows = request.Rows;
                if (_resultOutputs[k] is { } target)
                {
                    target[j] = plan.Trimmed && request.SequenceLength < batch.SequenceLength
                        ? CopyTrimmed(plan, shape, data.Slice(offset, rows * rowBytes), rows, request.SequenceLength, batch.SequenceLength)
                        : Copy(plan, shape, data.Slice(offset, rows * rowBytes), rows);
                }

                offset += rows * rowBytes;
            }
        }
    }

    private static InferenceTensor Copy(BatchLayout.OutputPlan plan, long[] batchShape, ReadOnlySpan<byte> rows, int rowCount)
    {
        var shape = (long[])batchShape.Clone();
        shape[0] = rowCount;
        var tensor = TensorElementTypes.Allocate(plan.ElementType, shape, rows.Length / plan.ElementSize);
        rows.CopyTo(tensor.WritableBytes);
        return tensor;
    }

    private static InferenceTensor CopyTrimmed(BatchLayout.OutputPlan plan, long[] batchShape, ReadOnlySpan<byte> rows, int rowCount, int length, int paddedLength)
    {
        var shape = (long[])batchShape.Clone();
        shape[0] = rowCount;
        shape[1] = length;
        var positionBytes = (int)Product(batchShape.AsSpan(2)) * plan.ElementSize;
        var keptBytes = length * positionBytes;
        var rowBytes = paddedLength * positionBytes;
        var tensor = TensorElementTypes.Allocate(plan.ElementType, shape, rowCount * keptBytes / plan.ElementSize);
        var destination = tensor.WritableBytes;
        for (var row = 0; row < rowCount; row++)
        {
            rows.Slice(row * rowBytes, keptBytes).CopyTo(destination[(row * keptBytes)..]);
        }

        return tensor;
    }

    private void Publish(Batch batch, TimeSpan computeTime)
    {
        for (var k = 0; k < batch.Count; k++)
        {
            if (_resultOutputs[k] is { } outputs)
            {
                var request = batch.Requests[k];
                var queueTime = _time.GetElapsedTime(request.EnqueuedAt, batch.FormedAt);
                batch.Results[k] = new InferenceResult(_layout.Metadata, outputs, request.Rows, batch.Rows, queueTime, computeTime);
                _resultOutputs[k] = null;
            }
        }
    }
}
