using System.Text.Json;

namespace Aigc.WebApi.Tests.Fixtures;

/// <summary>Reads an OpenAI server-sent event stream the way clients do: <c>data:</c> lines, blank-line separated.</summary>
internal static class Sse
{
    /// <summary>Returns every event's data in order (the closing <c>[DONE]</c> included, as text).</summary>
    public static async Task<List<string>> ReadAllAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<string>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var line = Assert.Single(block.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("data: ", line, StringComparison.Ordinal);
            events.Add(line["data: ".Length..]);
        }

        return events;
    }

    /// <summary>Parses the JSON events (all but the closing <c>[DONE]</c>, which must be last).</summary>
    public static List<JsonElement> Json(List<string> events)
    {
        Assert.Equal("[DONE]", events[^1]);
        return events.Take(events.Count - 1).Select(e => JsonDocument.Parse(e).RootElement.Clone()).ToList();
    }
}
