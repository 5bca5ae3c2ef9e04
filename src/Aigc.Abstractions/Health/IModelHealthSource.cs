namespace Aigc;

/// <summary>
/// Reports what a serving component has loaded and how full its request queue is, for health checks
/// (Aigc.Monitoring's <c>AddAigcHealthChecks</c> reads every registered source). Implementations must be cheap
/// and thread-safe: health probes call them often.
/// </summary>
public interface IModelHealthSource
{
    /// <summary>Gets the component's current state.</summary>
    /// <returns>
    /// The loaded models and the queue's depth and capacity, or <see langword="null"/> when the component is
    /// configured to serve nothing (it then takes no part in the health checks).
    /// </returns>
    ModelHealthSnapshot? GetHealth();
}
