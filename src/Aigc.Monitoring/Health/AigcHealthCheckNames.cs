namespace Aigc.Monitoring;

/// <summary>The names and tags of the Aigc health checks.</summary>
public static class AigcHealthCheckNames
{
    /// <summary>The online-evaluation backlog check.</summary>
    public const string EvaluationBacklog = "aigc.evaluation_backlog";

    /// <summary>The model check: models loaded and request queues not saturated, over every <see cref="IModelHealthSource"/>.</summary>
    public const string Models = "aigc.models";

    /// <summary>The tag every Aigc health check carries.</summary>
    public const string Tag = "aigc";

    /// <summary>The tag of the checks that decide readiness (the model check).</summary>
    public const string ReadyTag = "ready";
}
