using Aigc.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds online evaluation to a chat-client pipeline.</summary>
public static class ChatClientBuilderOnlineEvaluationExtensions
{
    /// <summary>
    /// Adds <see cref="OnlineEvaluationChatClient"/>: a sampled share of the pipeline's responses goes to online
    /// evaluation. Without a <paramref name="sink"/>, the one <c>AddMonitoring()</c> / <c>AddOnlineEvaluation()</c>
    /// registered is taken from the service provider the pipeline is built with.
    /// </summary>
    /// <param name="builder">The chat-client builder.</param>
    /// <param name="sink">The sink, or <see langword="null"/> to resolve <see cref="IOnlineEvaluationSink"/> from services.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No sink was given and none is registered.</exception>
    public static ChatClientBuilder UseOnlineEvaluation(this ChatClientBuilder builder, IOnlineEvaluationSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new OnlineEvaluationChatClient(
            inner,
            sink ?? services.GetService<IOnlineEvaluationSink>()
                ?? throw new InvalidOperationException("UseOnlineEvaluation needs an IOnlineEvaluationSink: call AddAigc().AddMonitoring() (or AddOnlineEvaluation()) or pass a sink.")));
    }
}
