using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aigc.WebApi.Tests.Fixtures;

/// <summary>Request helpers.</summary>
internal static class Requests
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an OpenAI-style error body with the given status and field.</summary>
    public static async Task<JsonElement> AssertErrorAsync(this HttpResponseMessage response, int status, string? param)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.JsonAsync()).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        return error;
    }
}
