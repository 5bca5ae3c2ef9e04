namespace Aigc.Inference;

/// <summary>
/// One destination of a <see cref="ModelRouter{TModel}"/>'s traffic: an alias (<c>@champion</c>, which follows alias
/// moves) or a pinned version (<c>3</c>, <c>models:/writer/3</c>), with its share of the traffic.
/// </summary>
public sealed class ModelRoute
{
    /// <summary>Gets or sets the target: <c>@alias</c>, a version number, or a model URI of the router's model.</summary>
    /// <value>The default value is <c>@champion</c>.</value>
    public string Target { get; set; } = "@champion";

    /// <summary>Gets or sets the route's weight; a request goes to a route with probability weight / sum of weights.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public double Weight { get; set; } = 1;
}
