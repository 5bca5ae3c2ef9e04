using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aigc.Training;

/// <summary>
/// The record of completed steps: one JSON file a step (<c>fingerprint</c>, <c>parameters</c>, <c>values</c>,
/// <c>metrics</c>, <c>completed_at</c>), written to a temporary file and moved into place, so a crash leaves either
/// the previous record or the new one. An unreadable record counts as none (the step runs again).
/// </summary>
internal sealed class ModelPipelineJournal(string directory)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Entry? Read(string stepId)
    {
        var path = PathOf(stepId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var values = root["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            var metrics = root["metrics"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>(), StringComparer.Ordinal);
            return new Entry(root["fingerprint"]!.GetValue<string>(), new ModelPipelineStepOutput { Values = values, Metrics = metrics });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }

    public void Write(string stepId, IReadOnlyDictionary<string, string> parameters, Entry entry)
    {
        Directory.CreateDirectory(directory);
        var metrics = new JsonObject();
        foreach (var (key, value) in entry.Output.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // JSON has no NaN or infinity: a metric that is not finite is left out.
            if (double.IsFinite(value))
            {
                metrics[key] = value;
            }
        }

        var root = new JsonObject
        {
            ["step"] = stepId,
            ["fingerprint"] = entry.Fingerprint,
            ["completed_at"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["parameters"] = ToObject(parameters),
            ["values"] = ToObject(entry.Output.Values),
            ["metrics"] = metrics,
        };
        var path = PathOf(stepId);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, root.ToJsonString(Indented));
        File.Move(temporary, path, overwrite: true);
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private string PathOf(string stepId) => Path.Combine(directory, stepId + ".json");

    internal sealed record Entry(string Fingerprint, ModelPipelineStepOutput Output);
}
