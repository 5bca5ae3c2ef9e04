using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>
/// Chat middleware that applies a blocklist and a pluggable <see cref="IContentClassifier"/> to the prompt and to the
/// (streamed) output, and stops or redacts, saying why in <c>AdditionalProperties["guardrail"]</c>
/// (a <see cref="GuardrailReport"/>) with finish reason <see cref="ChatFinishReason.ContentFilter"/>.
/// </summary>
/// <remarks>
/// A stopped prompt never reaches the inner client: the answer is <see cref="GuardrailsOptions.RefusalMessage"/>.
/// A stopped output ends before the blocked term (or, for the classifier, after the last text it allowed); streamed
/// text is held back only as long as it could still be the start of a blocked term or is waiting for the classifier,
/// and leaving the stream cancels the inner request at once.
/// </remarks>
public sealed class GuardrailsChatClient : DelegatingChatClient
{
    private readonly GuardrailsOptions _options;

    /// <summary>Initializes the middleware.</summary>
    /// <param name="innerClient">The client it wraps.</param>
    /// <param name="options">The guardrails.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public GuardrailsChatClient(IChatClient innerClient, GuardrailsOptions options)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (checkedMessages, refusal) = await CheckPromptAsync(messages, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return Refuse(refusal);
        }

        var response = await base.GetResponseAsync(checkedMessages, options, cancellationToken).ConfigureAwait(false);
        var guard = new OutputGuard(_options);
        var text = await guard.PushAsync(response.Text, cancellationToken).ConfigureAwait(false);
        text += await guard.FinishAsync(cancellationToken).ConfigureAwait(false);
        if (text == response.Text && guard.Report is null)
        {
            return response;
        }

        var message = new ChatMessage(ChatRole.Assistant, text) { MessageId = response.Messages.LastOrDefault()?.MessageId };
        var result = new ChatResponse(message)
        {
            ResponseId = response.ResponseId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            Usage = response.Usage,
            FinishReason = guard.Report is null ? response.FinishReason : ChatFinishReason.ContentFilter,
            AdditionalProperties = response.AdditionalProperties?.Clone() ?? [],
        };
        if (guard.Report is { } report)
        {
            result.AdditionalProperties[GuardrailReport.PropertyName] = report;
        }

        return result;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (checkedMessages, refusal) = await CheckPromptAsync(messages, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, _options.RefusalMessage)
            {
                FinishReason = ChatFinishReason.ContentFilter,
                AdditionalProperties = new() { [GuardrailReport.PropertyName] = refusal },
            };
            yield break;
        }

        var guard = new OutputGuard(_options);
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(checkedMessages, options, cancellationToken).ConfigureAwait(false))
        {
            last = update;
            var text = await guard.PushAsync(update.Text, cancellationToken).ConfigureAwait(false);
            if (update.FinishReason is not null)
            {
                text += await guard.FinishAsync(cancellationToken).ConfigureAwait(false);
            }

            if (guard.Report is { } report)
            {
                // Leaving the inner stream cancels the request there.
                yield return Stopped(update, text, report);
                yield break;
            }

            var updateContents = update.Contents.Where(c => c is not TextContent).ToList();
            if (text.Length > 0)
            {
                updateContents.Insert(0, new TextContent(text));
            }

            if (updateContents.Count > 0 || update.FinishReason is not null)
            {
                yield return Copy(update, updateContents, update.FinishReason);
            }
        }

        if (last is { FinishReason: null })
        {
            var rest = await guard.FinishAsync(cancellationToken).ConfigureAwait(false);
            if (guard.Report is { } report)
            {
                yield return Stopped(last, rest, report);
            }
            else if (rest.Length > 0)
            {
                yield return Copy(last, [new TextContent(rest)], null);
            }
        }
    }

    private async ValueTask<(List<ChatMessage> Messages, GuardrailReport? Refusal)> CheckPromptAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var list = messages.ToList();
        var prompt = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var text = list[i].Text;
            var (index, term) = Guardrails.FindTerm(text, _options.BlockedTerms);
            if (index >= 0)
            {
                if (_options.PromptAction == GuardrailAction.Stop)
                {
                    return (list, new GuardrailReport(ContentDirection.Prompt, "blocklist", GuardrailAction.Stop, $"The prompt contains the blocked term \"{term}\"."));
                }

                text = Guardrails.Redact(text, _options.BlockedTerms, _options.Redaction);
                list[i] = new ChatMessage(list[i].Role, text) { AuthorName = list[i].AuthorName, MessageId = list[i].MessageId };
            }

            prompt.Append(text).Append('\n');
        }

        if (_options.Classifier is { } classifier)
        {
            var verdict = await classifier.ClassifyAsync(prompt.ToString(), ContentDirection.Prompt, cancellationToken).ConfigureAwait(false);
            if (verdict.Flagged)
            {
                return (list, new GuardrailReport(ContentDirection.Prompt, "classifier", GuardrailAction.Stop, Guardrails.Describe(verdict)));
            }
        }

        return (list, null);
    }

    private ChatResponse Refuse(GuardrailReport report) =>
        new(new ChatMessage(ChatRole.Assistant, _options.RefusalMessage))
        {
            FinishReason = ChatFinishReason.ContentFilter,
            AdditionalProperties = new() { [GuardrailReport.PropertyName] = report },
        };

    private static ChatResponseUpdate Stopped(ChatResponseUpdate update, string text, GuardrailReport report)
    {
        var stopped = Copy(update, text.Length > 0 ? [new TextContent(text)] : [], ChatFinishReason.ContentFilter);
        (stopped.AdditionalProperties ??= [])[GuardrailReport.PropertyName] = report;
        return stopped;
    }

    private static ChatResponseUpdate Copy(ChatResponseUpdate update, IList<AIContent> contents, ChatFinishReason? finish) =>
        new(update.Role ?? ChatRole.Assistant, contents)
        {
            ResponseId = update.ResponseId,
            MessageId = update.MessageId,
            ModelId = update.ModelId,
            CreatedAt = update.CreatedAt,
            FinishReason = finish,
            AdditionalProperties = update.AdditionalProperties?.Clone(),
        };
}
