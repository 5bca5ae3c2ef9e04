using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Inference;

/// <summary>The JSON columns of the registry (training parameters and metrics), written in key order.</summary>
internal static class RegistryJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(IReadOnlyDictionary<string, string> values) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(values.ToDictionary(), StringComparer.Ordinal), Options);

    public static string Write(IReadOnlyDictionary<string, double> values) =>
        JsonSerializer.Serialize(new SortedDictionary<string, double>(values.ToDictionary(), StringComparer.Ordinal), Options);

    public static IReadOnlyDictionary<string, string> ReadStrings(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    public static IReadOnlyDictionary<string, double> ReadDoubles(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(json, Options) ?? [];
}
