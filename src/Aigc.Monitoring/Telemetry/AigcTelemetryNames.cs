namespace Aigc.Monitoring;

/// <summary>
/// The names of the Aigc meters, activity sources and the GenAI instruments that
/// <c>AddAigcInstrumentation</c> configures, in one place: the OpenTelemetry GenAI conventions they follow are
/// still in development and may rename them.
/// </summary>
public static class AigcTelemetryNames
{
    /// <summary>The wildcard that matches every Aigc meter and activity source (<c>Aigc.*</c>).</summary>
    public const string Wildcard = "Aigc.*";

    /// <summary>The prefix every Aigc meter and activity source name starts with.</summary>
    public const string Prefix = "Aigc.";

    /// <summary>The meter and activity source of Aigc.Data.</summary>
    public const string Data = "Aigc.Data";

    /// <summary>The meter and activity source of Aigc.Training.</summary>
    public const string Training = "Aigc.Training";

    /// <summary>The meter and activity source of Aigc.Inference.</summary>
    public const string Inference = "Aigc.Inference";

    /// <summary>The meter and activity source of Aigc.Monitoring.</summary>
    public const string Monitoring = "Aigc.Monitoring";

    /// <summary>Histogram (s): time from a request's arrival to its last token (server side).</summary>
    public const string ServerRequestDuration = "gen_ai.server.request.duration";

    /// <summary>Histogram (s): time from a request's arrival to its first token.</summary>
    public const string ServerTimeToFirstToken = "gen_ai.server.time_to_first_token";

    /// <summary>Histogram (s): per request, the mean time of each output token after the first.</summary>
    public const string ServerTimePerOutputToken = "gen_ai.server.time_per_output_token";

    /// <summary>Histogram (s): duration of a GenAI operation as a client sees it.</summary>
    public const string ClientOperationDuration = "gen_ai.client.operation.duration";

    /// <summary>Histogram (<c>{token}</c>): input and output tokens per request.</summary>
    public const string ClientTokenUsage = "gen_ai.client.token.usage";

    /// <summary>The unit of duration histograms (seconds).</summary>
    public const string SecondsUnit = "s";
}
