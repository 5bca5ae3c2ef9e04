using Aigc.WebApi.Serving;
using Microsoft.Extensions.AI;

namespace Aigc.WebApi.OpenAi;

/// <summary><c>POST /v1/chat/completions</c>: a chat completion, whole or streamed, from the served model's <see cref="IChatClient"/>.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, IServedModels models, TimeProvider time)
    {
        var request = await OpenAiJson.ReadAsync<ChatCompletionRequest>(context.Request).ConfigureAwait(false);
        using var selection = await RequestMapping.SelectModelAsync(models, request.Model, context.RequestAborted).ConfigureAwait(false);
        if (request.LogProbabilities == true)
        {
            throw OpenAiException.BadField("logprobs", "'logprobs' is not supported by this host; leave it unset or false.");
        }

        var maxTokensParam = request.MaxCompletionTokens is not null ? "max_completion_tokens" : "max_tokens";
        var sampling = RequestMapping.ReadSampling(request, request.MaxCompletionTokens ?? request.MaxTokens, maxTokensParam);
        var messages = RequestMapping.ReadMessages(request.Messages);
        var options = sampling.ToChatOptions(selection.Adapter);
        var client = selection.Model.ChatClient;
        var id = CompletionIds.New("chatcmpl-");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var fingerprint = CompletionIds.Fingerprint(selection.Model);
        var aborted = context.RequestAborted;
        if (request.Stream != true)
        {
            var answer = await client.GetResponseAsync(messages, options, aborted).ConfigureAwait(false);
            var usage = new Usage((int)(answer.Usage?.InputTokenCount ?? 0), (int)(answer.Usage?.OutputTokenCount ?? 0));
            var completion = new ChatCompletion(id, created, selection.Id, fingerprint, [new ChatChoice(0, new AssistantMessage(answer.Text), RequestMapping.FinishReason(answer.FinishReason))], usage);
            await Results.Json(completion, OpenAiJson.Options).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // Starting the stream validates the request (context window, sampling), so errors still get a JSON 400.
        var updates = client.GetStreamingResponseAsync(messages, options, aborted);
        await using var enumerator = updates.GetAsyncEnumerator(aborted);
        var hasFirst = await enumerator.MoveNextAsync().ConfigureAwait(false);
        ServerSentEvents.Start(context.Response);
        var response = context.Response;
        await ServerSentEvents.WriteAsync(response, Chunk(new ChatDelta("assistant", string.Empty), null), aborted).ConfigureAwait(false);
        Usage? total = null;
        for (var more = hasFirst; more; more = await enumerator.MoveNextAsync().ConfigureAwait(false))
        {
            var update = enumerator.Current;
            if (update.Text.Length > 0)
            {
                await ServerSentEvents.WriteAsync(response, Chunk(new ChatDelta(null, update.Text), null), aborted).ConfigureAwait(false);
            }

            if (update.Contents.OfType<UsageContent>().FirstOrDefault() is { } usage)
            {
                total = new Usage((int)(usage.Details.InputTokenCount ?? 0), (int)(usage.Details.OutputTokenCount ?? 0));
            }

            if (update.FinishReason is { } finish)
            {
                await ServerSentEvents.WriteAsync(response, Chunk(new ChatDelta(null, null), RequestMapping.FinishReason(finish)), aborted).ConfigureAwait(false);
            }
        }

        if (request.StreamOptions?.IncludeUsage == true)
        {
            await ServerSentEvents.WriteAsync(response, new ChatCompletionChunk(id, created, selection.Id, fingerprint, []) { Usage = total ?? new Usage(0, 0) }, aborted).ConfigureAwait(false);
        }

        await ServerSentEvents.DoneAsync(response, aborted).ConfigureAwait(false);

        ChatCompletionChunk Chunk(ChatDelta delta, string? finish) => new(id, created, selection.Id, fingerprint, [new ChatChunkChoice(0, delta, finish)]);
    }
}
