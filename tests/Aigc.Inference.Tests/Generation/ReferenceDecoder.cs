using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference.Tests.Generation;

/// <summary>
/// An independent oracle: runs the whole sequence through the model every step, with no KV cache and batch 1, and
/// returns the logits of the last position.
/// </summary>
internal sealed class ReferenceDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _layers;
    private readonly long _heads;
    private readonly long _headSize;

    public ReferenceDecoder(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(path, options);
        while (_session.InputMetadata.ContainsKey(Past(_layers, "key")))
        {
            _layers++;
        }

        var dims = _session.InputMetadata[Past(0, "key")].Dimensions;
        _heads = dims[1];
        _headSize = dims[3];
    }

    public float[] LastLogits(IReadOnlyList<int> tokens)
    {
        var n = tokens.Count;
        var ids = tokens.Select(t => (long)t).ToArray();
        var mask = Enumerable.Repeat(1L, n).ToArray();
        var positions = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var names = new List<string> { "input_ids", "attention_mask", "position_ids" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [1, n]),
            OrtValue.CreateTensorValueFromMemory(mask, [1, n]),
            OrtValue.CreateTensorValueFromMemory(positions, [1, n]),
        };
        for (var i = 0; i < _layers; i++)
        {
            names.Add(Past(i, "key"));
            values.Add(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, _heads, 0, _headSize]));
            names.Add(Past(i, "value"));
            values.Add(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, _heads, 0, _headSize]));
        }

        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, ["logits"]);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            var vocab = logits.Length / n;
            return logits.Slice((n - 1) * vocab, vocab).ToArray();
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public List<int> Greedy(IReadOnlyList<int> prompt, int maxTokens, int? stopToken = null)
    {
        var tokens = prompt.ToList();
        var output = new List<int>();
        for (var i = 0; i < maxTokens; i++)
        {
            var logits = LastLogits(tokens);
            var next = Array.IndexOf(logits, logits.Max());
            output.Add(next);
            tokens.Add(next);
            if (next == stopToken)
            {
                break;
            }
        }

        return output;
    }

    public void Dispose() => _session.Dispose();

    private static string Past(int layer, string kind) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.{kind}");
}
