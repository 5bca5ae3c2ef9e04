using Aigc.Inference;
using Aigc.WebApi.Serving;

namespace Aigc.WebApi.OpenAi;

/// <summary><c>POST /v1/completions</c>: a text completion of a prompt, whole or streamed, from the served model's <see cref="TextGenerator"/>.</summary>
internal static class CompletionsEndpoint
{
    /// <summary>OpenAI's default <c>max_tokens</c> for text completions.</summary>
    public const int DefaultMaxTokens = 16;

    public static async Task HandleAsync(HttpContext context, IServedModels models, TimeProvider time)
    {
        var request = await OpenAiJson.ReadAsync<CompletionRequest>(context.Request).ConfigureAwait(false);
        using var selection = await RequestMapping.SelectModelAsync(models, request.Model, context.RequestAborted).ConfigureAwait(false);
        var prompt = RequestMapping.ReadPrompt(request.Prompt);
        if (request.Suffix is not null)
        {
            throw OpenAiException.BadField("suffix", "'suffix' is not supported by this host (the model does not fill in the middle).");
        }

        if (request.LogProbabilities is not null)
        {
            throw OpenAiException.BadField("logprobs", "'logprobs' is not supported by this host; leave it unset.");
        }

        if (request.BestOf is { } bestOf && bestOf != 1)
        {
            throw OpenAiException.BadField("best_of", $"'best_of' must be 1; got {bestOf}.");
        }

        var sampling = RequestMapping.ReadSampling(request, request.MaxTokens, "max_tokens").ToSamplingOptions(DefaultMaxTokens);
        var generator = selection.Model.Generator;
        var id = CompletionIds.New("cmpl-");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var fingerprint = CompletionIds.Fingerprint(selection.Model);
        var aborted = context.RequestAborted;
        var echo = request.Echo == true ? prompt : string.Empty;
        var updates = generator.GenerateStreamingAsync(prompt, sampling, selection.Adapter, aborted); // validates now
        if (request.Stream != true)
        {
            var text = new System.Text.StringBuilder(echo);
            var finish = GenerationFinishReason.Stop;
            int input = 0, output = 0;
            await foreach (var update in updates.ConfigureAwait(false))
            {
                text.Append(update.Text);
                (input, output) = (update.InputTokenCount, update.OutputTokenCount);
                finish = update.FinishReason ?? finish;
            }

            var completion = new TextCompletion(id, created, selection.Id, fingerprint, [new TextChoice(text.ToString(), 0, RequestMapping.FinishReason(finish))]) { Usage = new Usage(input, output) };
            await Results.Json(completion, OpenAiJson.Options).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        ServerSentEvents.Start(context.Response);
        var response = context.Response;
        if (echo.Length > 0)
        {
            await ServerSentEvents.WriteAsync(response, Chunk(echo, null), aborted).ConfigureAwait(false);
        }

        var usage = new Usage(0, 0);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            usage = new Usage(update.InputTokenCount, update.OutputTokenCount);
            if (update.Text.Length > 0 || update.FinishReason is not null)
            {
                await ServerSentEvents.WriteAsync(response, Chunk(update.Text, update.FinishReason is { } f ? RequestMapping.FinishReason(f) : null), aborted).ConfigureAwait(false);
            }
        }

        if (request.StreamOptions?.IncludeUsage == true)
        {
            await ServerSentEvents.WriteAsync(response, new TextCompletion(id, created, selection.Id, fingerprint, []) { Usage = usage }, aborted).ConfigureAwait(false);
        }

        await ServerSentEvents.DoneAsync(response, aborted).ConfigureAwait(false);

        TextCompletion Chunk(string text, string? finish) => new(id, created, selection.Id, fingerprint, [new TextChoice(text, 0, finish)]);
    }
}
