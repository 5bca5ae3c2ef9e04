namespace Aigc.Inference;

/// <summary>An answer from a <see cref="ModelRouter{TModel}"/>, with the version that produced it.</summary>
/// <typeparam name="TResult">The answer's type.</typeparam>
/// <param name="Value">The answer.</param>
/// <param name="Version">The registered version that produced it.</param>
/// <param name="Route">The route that served it, for example <c>models:/writer@champion</c>.</param>
public sealed record RoutedResult<TResult>(TResult Value, ModelVersion Version, string Route)
{
    /// <summary>Gets the producing version's pinned URI, <c>models:/&lt;name&gt;/&lt;version&gt;</c>.</summary>
    public ModelUri VersionUri => Version.Uri;
}
