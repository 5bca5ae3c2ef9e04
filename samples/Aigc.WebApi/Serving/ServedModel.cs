using Aigc.Inference;
using Microsoft.Extensions.AI;

namespace Aigc.WebApi.Serving;

/// <summary>A model version the host serves: the registry version it came from and the generation stack over it.</summary>
/// <param name="Id">The id clients send as <c>model</c> (the registry model's name).</param>
/// <param name="Version">The registry version being served.</param>
/// <param name="Generator">The text generator (prompt completions).</param>
/// <param name="ChatClient">The chat client (chat completions).</param>
/// <param name="LoadedAt">When this version started serving.</param>
internal sealed record ServedModel(string Id, int Version, TextGenerator Generator, IChatClient ChatClient, DateTimeOffset LoadedAt)
{
    /// <summary>The separator between a model id and an adapter name in a model id (<c>tiny-gpt2:formal</c>).</summary>
    public const char AdapterSeparator = ':';

    /// <summary>Gets the names of the model's LoRA adapters, in order.</summary>
    public IEnumerable<string> Adapters => Generator.Engine.RegisteredAdapters.Order(StringComparer.Ordinal);

    /// <summary>Gets every id clients may send for this model: its own, then <c>model:adapter</c> for each adapter.</summary>
    public IEnumerable<string> Ids => Adapters.Select(AdapterId).Prepend(Id);

    /// <summary>Returns the id that selects one of the model's adapters.</summary>
    public string AdapterId(string adapter) => Id + AdapterSeparator + adapter;
}
