using Aigc.WebApi.Serving;

namespace Aigc.WebApi.OpenAi;

/// <summary>Ids, timestamps and fingerprints of responses.</summary>
internal static class CompletionIds
{
    /// <summary>Returns a new id with OpenAI's prefix (<c>chatcmpl-</c>, <c>cmpl-</c>).</summary>
    public static string New(string prefix) => prefix + Guid.NewGuid().ToString("N");

    /// <summary>Returns the response's <c>system_fingerprint</c>: the registry version that answered (<c>aigc-tiny-gpt2-v1</c>).</summary>
    public static string Fingerprint(ServedModel model) => $"aigc-{model.Id}-v{model.Version}";
}
