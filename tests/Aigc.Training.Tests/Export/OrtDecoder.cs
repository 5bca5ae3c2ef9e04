using Microsoft.ML.OnnxRuntime;

namespace Aigc.Training.Tests.Export;

/// <summary>Runs an exported decoder in ONNX Runtime (CPU, graph optimisation level ALL) with the Optimum input names.</summary>
internal sealed class OrtDecoder : IDisposable
{
    private readonly InferenceSession _session;

    public OrtDecoder(string path)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, // LoRA inputs are overridable initializers by design: ORT warns about each
        };
        _session = new InferenceSession(path, options);
        Layers = _session.OutputNames.Count(n => n.StartsWith("present.", StringComparison.Ordinal)) / 2;
        var past = _session.InputMetadata[OnnxExporter.PastKeyName(0)].Dimensions;
        Heads = past[1];
        HeadSize = past[3];
    }

    public InferenceSession Session => _session;

    public int Layers { get; }

    public int Heads { get; }

    public int HeadSize { get; }

    /// <summary>One step: returns logits [batch, seq, vocab] and each layer's present key/value.</summary>
    public DecoderStep Run(long[,] ids, long[,] mask, long[,] positions, DecoderStep? past = null, IReadOnlyDictionary<string, (float[] Data, long[] Shape)>? extra = null, RunOptions? runOptions = null, long[]? adapterIds = null, long? logitsToKeep = null)
    {
        var batch = ids.GetLength(0);
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            void Add(string name, OrtValue value)
            {
                names.Add(name);
                values.Add(value);
            }

            Add(OnnxExporter.InputIdsName, OrtValue.CreateTensorValueFromMemory(Flatten(ids), [batch, ids.GetLength(1)]));
            Add(OnnxExporter.AttentionMaskName, OrtValue.CreateTensorValueFromMemory(Flatten(mask), [batch, mask.GetLength(1)]));
            Add(OnnxExporter.PositionIdsName, OrtValue.CreateTensorValueFromMemory(Flatten(positions), [batch, positions.GetLength(1)]));
            for (var i = 0; i < Layers; i++)
            {
                var (key, value) = past is null ? (Array.Empty<float>(), Array.Empty<float>()) : (past.Keys[i], past.Values[i]);
                long pastLength = past?.Length ?? 0;
                Add(OnnxExporter.PastKeyName(i), OrtValue.CreateTensorValueFromMemory(key, [batch, Heads, pastLength, HeadSize]));
                Add(OnnxExporter.PastValueName(i), OrtValue.CreateTensorValueFromMemory(value, [batch, Heads, pastLength, HeadSize]));
            }

            foreach (var (name, (data, shape)) in extra ?? new Dictionary<string, (float[], long[])>())
            {
                Add(name, OrtValue.CreateTensorValueFromMemory(data, shape));
            }

            if (logitsToKeep is { } keep)
            {
                Add(OnnxExporter.LogitsToKeepName, OrtValue.CreateTensorValueFromMemory(new[] { keep }, [1]));
            }

            if (adapterIds is not null)
            {
                Add(OnnxLoraInputs.AdapterIdsName, OrtValue.CreateTensorValueFromMemory(adapterIds, [adapterIds.Length]));
            }

            using var ownRunOptions = runOptions is null ? new RunOptions() : null;
            var outputNames = new List<string> { OnnxExporter.LogitsName };
            for (var i = 0; i < Layers; i++)
            {
                outputNames.Add(OnnxExporter.PresentKeyName(i));
                outputNames.Add(OnnxExporter.PresentValueName(i));
            }

            using var outputs = _session.Run(runOptions ?? ownRunOptions!, names, values, outputNames);
            var logits = outputs[0];
            var keys = new float[Layers][];
            var vals = new float[Layers][];
            for (var i = 0; i < Layers; i++)
            {
                keys[i] = outputs[1 + (2 * i)].GetTensorDataAsSpan<float>().ToArray();
                vals[i] = outputs[2 + (2 * i)].GetTensorDataAsSpan<float>().ToArray();
            }

            var presentShape = outputs[1].GetTensorTypeAndShape().Shape;
            return new DecoderStep(logits.GetTensorDataAsSpan<float>().ToArray(), logits.GetTensorTypeAndShape().Shape, keys, vals, presentShape[2]);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private static long[] Flatten(long[,] values)
    {
        var flat = new long[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(long));
        return flat;
    }
}

internal sealed record DecoderStep(float[] Logits, long[] LogitsShape, float[][] Keys, float[][] Values, long Length);
