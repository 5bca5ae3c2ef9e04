namespace Aigc.Inference;

/// <summary>Adds models to <see cref="InferenceOptions.Models"/> in one line.</summary>
public static class InferenceModelCollectionExtensions
{
    /// <summary>
    /// Adds (or replaces) a model: a registered model when <paramref name="source"/> is <c>@alias</c> or a model URI
    /// (<c>models:/writer@champion</c>, <c>models:/writer/3</c>), served through a router that follows the alias;
    /// otherwise the path of a local <c>.onnx</c> file. For example <c>o.Models.Add("writer", "@champion")</c>.
    /// </summary>
    /// <param name="models">The models.</param>
    /// <param name="name">The DI key (and, for <c>@alias</c>, the registered model's name).</param>
    /// <param name="source">The registered model or the file.</param>
    /// <returns>The model's options, to configure further.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="source"/> is null or white space.</exception>
    public static InferenceModelOptions Add(this IDictionary<string, InferenceModelOptions> models, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var options = IsRegistered(source) ? new InferenceModelOptions { Model = source } : new InferenceModelOptions { Path = source };
        models[name] = options;
        return options;
    }

    internal static bool IsRegistered(string source) =>
        source.StartsWith('@') || source.StartsWith(ModelUri.Prefix, StringComparison.Ordinal);
}
