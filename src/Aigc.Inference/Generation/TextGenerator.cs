using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Aigc.Inference;

/// <summary>
/// Text in, text out over a <see cref="GenerationEngine"/>: tokenizes prompts, renders chat messages with a
/// <see cref="ChatPromptTemplate"/>, streams text deltas that never split a UTF-8 character, and applies stop sequences.
/// </summary>
public sealed class TextGenerator
{
    private readonly IReadOnlySet<int> _special;

    /// <summary>Initializes a generator.</summary>
    /// <param name="engine">The engine that runs the model.</param>
    /// <param name="tokenizer">The model's tokenizer (for GPT-2, <c>TiktokenTokenizer.CreateForModel("gpt2")</c>).</param>
    /// <param name="template">How chat messages become a prompt, or <see langword="null"/> for <see cref="ChatPromptTemplate.ChatML"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> or <paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    public TextGenerator(GenerationEngine engine, Tokenizer tokenizer, ChatPromptTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Engine = engine;
        Tokenizer = tokenizer;
        Template = template ?? ChatPromptTemplate.ChatML;
        _special = tokenizer is TiktokenTokenizer { SpecialTokens: { } special } ? special.Values.ToHashSet() : [];
    }

    /// <summary>Gets the engine.</summary>
    public GenerationEngine Engine { get; }

    /// <summary>Gets the tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Gets the chat template.</summary>
    public ChatPromptTemplate Template { get; }

    /// <summary>
    /// Gets the registered version the engine's model was loaded from (<c>models:/name/3</c>), reported on every result
    /// and update, or <see langword="null"/> when the model did not come from a registry. <see cref="TextGeneratorLoader"/> sets it.
    /// </summary>
    public ModelUri? ModelVersion { get; init; }

    /// <summary>Renders chat messages as a prompt with <see cref="Template"/>.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(IEnumerable<ChatMessage> messages) => Template.Render(messages);

    /// <summary>Generates text for a prompt, streaming it as it comes.</summary>
    /// <param name="prompt">The prompt text (special tokens such as <c>&lt;|endoftext|&gt;</c> are recognised).</param>
    /// <param name="sampling">How tokens are picked, or <see langword="null"/> for greedy decoding.</param>
    /// <param name="adapter">A registered LoRA adapter, or <see langword="null"/> for the base model.</param>
    /// <param name="cancellationToken">Cancels the request (its sequence leaves the batch at once).</param>
    /// <returns>The updates; the last one carries the finish reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ContextWindowExceededException">The prompt does not fit the context window.</exception>
    /// <exception cref="KeyNotFoundException">The adapter is not registered.</exception>
    public IAsyncEnumerable<TextGenerationUpdate> GenerateStreamingAsync(string prompt, SamplingOptions? sampling = null, string? adapter = null, CancellationToken cancellationToken = default) =>
        Stream(prompt, sampling, adapter, GenerationMetricNames.TextCompletionOperation, cancellationToken);

    /// <summary>Generates text for a prompt.</summary>
    /// <param name="prompt">The prompt text.</param>
    /// <param name="sampling">How tokens are picked, or <see langword="null"/> for greedy decoding.</param>
    /// <param name="adapter">A registered LoRA adapter, or <see langword="null"/> for the base model.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The text, tokens and finish reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ContextWindowExceededException">The prompt does not fit the context window.</exception>
    /// <exception cref="KeyNotFoundException">The adapter is not registered.</exception>
    public Task<TextGenerationResult> GenerateAsync(string prompt, SamplingOptions? sampling = null, string? adapter = null, CancellationToken cancellationToken = default) =>
        CollectAsync(Stream(prompt, sampling, adapter, GenerationMetricNames.TextCompletionOperation, cancellationToken));

    internal static async Task<TextGenerationResult> CollectAsync(IAsyncEnumerable<TextGenerationUpdate> updates)
    {
        var text = new StringBuilder();
        var tokens = new List<GeneratedToken>();
        var finish = GenerationFinishReason.Stop;
        var input = 0;
        ModelUri? version = null;
        await foreach (var update in updates.ConfigureAwait(false))
        {
            version = update.ModelVersion;
            text.Append(update.Text);
            tokens.AddRange(update.Tokens);
            input = update.InputTokenCount;
            finish = update.FinishReason ?? finish;
        }

        return new TextGenerationResult(text.ToString(), finish, tokens, input) { ModelVersion = version };
    }

    internal IAsyncEnumerable<TextGenerationUpdate> Stream(string prompt, SamplingOptions? sampling, string? adapter, string operation, CancellationToken cancellationToken, string? responseId = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = Tokenizer.EncodeToIds(prompt);
        var request = new GenerationRequest(ids) { Sampling = sampling ?? SamplingOptions.Greedy, Adapter = adapter, OperationName = operation, ResponseId = responseId };
        var tokens = Engine.GenerateAsync(request, cancellationToken); // validates now
        return StreamCore(tokens, request, cancellationToken);
    }

    private async IAsyncEnumerable<TextGenerationUpdate> StreamCore(IAsyncEnumerable<GeneratedToken> tokens, GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var detokenizer = new IncrementalDetokenizer(Tokenizer);
        var stops = new StopSequenceMatcher(request.Sampling.StopSequences);
        var pending = new List<GeneratedToken>();
        var input = request.PromptTokens.Count;
        var output = 0;
        await foreach (var token in tokens.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(token);
            output++;
            var delta = IsSpecial(token.TokenId) ? string.Empty : detokenizer.Append(token.TokenId);
            if (token.FinishReason is not null)
            {
                delta += detokenizer.Flush();
            }

            var text = stops.Push(delta);
            if (stops.Stopped)
            {
                // Leaving the token stream removes the sequence from the engine before its next step.
                yield return new TextGenerationUpdate(text, pending) { FinishReason = GenerationFinishReason.Stop, InputTokenCount = input, OutputTokenCount = output, ModelVersion = ModelVersion };
                yield break;
            }

            if (token.FinishReason is { } finish)
            {
                yield return new TextGenerationUpdate(text + stops.Flush(), pending) { FinishReason = finish, InputTokenCount = input, OutputTokenCount = output, ModelVersion = ModelVersion };
                yield break;
            }

            if (text.Length > 0)
            {
                yield return new TextGenerationUpdate(text, pending) { InputTokenCount = input, OutputTokenCount = output, ModelVersion = ModelVersion };
                pending = [];
            }
        }
    }

    private bool IsSpecial(int id) => _special.Contains(id) || id == Engine.EndOfSequenceTokenId;
}
