using Aigc.Inference;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="GuardrailsChatClient"/> to a chat client pipeline.</summary>
public static class GuardrailsChatClientBuilderExtensions
{
    /// <summary>Adds guardrails (a blocklist and an optional classifier on prompt and output) to the pipeline.</summary>
    /// <param name="builder">The chat client builder.</param>
    /// <param name="configure">Configures the guardrails.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseGuardrails(this ChatClientBuilder builder, Action<GuardrailsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new GuardrailsOptions();
        configure(options);
        return builder.Use(inner => new GuardrailsChatClient(inner, options));
    }
}
