using System.Text;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>
/// Renders a list of chat messages as the prompt a decoder completes: each message in its role's turn format, then
/// the generation prompt that opens the assistant's turn.
/// </summary>
/// <remarks>
/// The definition is the one Aigc.Data's <c>ChatTemplate</c> uses for training, so serving formats conversations
/// exactly as training did: turn formats with <c>{content}</c> once and optionally <c>{role}</c>, per-role overrides,
/// a generation prompt (by default the assistant turn's prefix) and an optional default system prompt.
/// <see cref="FromParameters"/> reads that template's canonical parameters (<c>name</c>, <c>turn.default</c>,
/// <c>turn.&lt;role&gt;</c>, <c>generation_prompt</c>, <c>default_system_prompt</c>; training-only keys are ignored).
/// </remarks>
public sealed record ChatPromptTemplate
{
    /// <summary>The placeholder of a message's text in a turn format.</summary>
    public const string ContentPlaceholder = "{content}";

    /// <summary>The placeholder of a message's role in a turn format.</summary>
    public const string RolePlaceholder = "{role}";

    private static readonly string[] StandardRoles = ["system", "user", "assistant", "tool"];

    private readonly string _defaultTurn = null!;
    private readonly IReadOnlyDictionary<string, string> _turns = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly string? _generationPrompt;
    private readonly IReadOnlyList<string>? _stopSequences;

    /// <summary>Initializes a template whose turns all use one format.</summary>
    /// <param name="name">The template's name.</param>
    /// <param name="turnFormat">The turn format of every role without its own, with <c>{content}</c> once.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or the format lacks <c>{content}</c> or has it twice.</exception>
    public ChatPromptTemplate(string name, string turnFormat)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        DefaultTurn = turnFormat;
    }

    /// <summary>Gets ChatML: <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c>, generation prompt <c>&lt;|im_start|&gt;assistant\n</c>, stop <c>&lt;|im_end|&gt;</c>.</summary>
    public static ChatPromptTemplate ChatML { get; } = FromFormat("chatml", "<|im_start|>{role}\n{content}<|im_end|>\n");

    /// <summary>Gets a plain template: <c>{role}: {content}\n</c>, generation prompt <c>assistant: </c>, stop <c>\nuser:</c>.</summary>
    public static ChatPromptTemplate Plain { get; } = FromFormat("plain", "{role}: {content}\n") with { StopSequences = ["\nuser:"] };

    /// <summary>Gets the template's name.</summary>
    public string Name { get; init; }

    /// <summary>Gets the turn format of every role without an entry in <see cref="Turns"/>.</summary>
    /// <exception cref="ArgumentException">The format lacks <c>{content}</c> or has it twice.</exception>
    public string DefaultTurn
    {
        get => _defaultTurn;
        init => _defaultTurn = CheckFormat(value);
    }

    /// <summary>Gets the turn formats of particular roles (role → format).</summary>
    /// <value>The default value is empty.</value>
    /// <exception cref="ArgumentException">A format lacks <c>{content}</c> or has it twice.</exception>
    public IReadOnlyDictionary<string, string> Turns
    {
        get => _turns;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var turns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (role, format) in value)
            {
                turns[role] = CheckFormat(format);
            }

            _turns = turns;
        }
    }

    /// <summary>Gets the text that opens the assistant's turn, appended after the messages.</summary>
    /// <value>The default value is the prefix of the assistant turn.</value>
    public string GenerationPrompt
    {
        get => _generationPrompt ?? Split(FormatOf("assistant"), "assistant").Prefix;
        init => _generationPrompt = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the system message inserted when a conversation does not start with one, or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DefaultSystemPrompt { get; init; }

    /// <summary>Gets text that ends the assistant's turn: generation stops there.</summary>
    /// <value>The default value is the assistant turn's suffix without surrounding white space, when it has any text.</value>
    public IReadOnlyList<string> StopSequences
    {
        get
        {
            if (_stopSequences is not null)
            {
                return _stopSequences;
            }

            var suffix = Split(FormatOf("assistant"), "assistant").Suffix.Trim();
            return suffix.Length > 0 ? [suffix] : [];
        }

        init => _stopSequences = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the template's definition as Aigc.Data's <c>ChatTemplate</c> writes it (the keys this template uses).</summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["name"] = Name,
                ["turn.default"] = DefaultTurn,
                ["generation_prompt"] = GenerationPrompt,
            };
            foreach (var (role, format) in _turns)
            {
                parameters["turn." + role] = format;
            }

            if (DefaultSystemPrompt is not null)
            {
                parameters["default_system_prompt"] = DefaultSystemPrompt;
            }

            return parameters;
        }
    }

    /// <summary>Creates a template from a turn format for every standard role (system, user, assistant, tool), optionally overridden per role.</summary>
    /// <param name="name">The template's name.</param>
    /// <param name="turnFormat">The turn format, with <c>{content}</c> once and optionally <c>{role}</c>.</param>
    /// <param name="roleFormats">Formats of particular roles, or <see langword="null"/>.</param>
    /// <param name="generationPrompt">The generation prompt, or <see langword="null"/> for the assistant turn's prefix.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException">The name is empty or a format lacks <c>{content}</c> or has it twice.</exception>
    public static ChatPromptTemplate FromFormat(string name, string turnFormat, IReadOnlyDictionary<string, string>? roleFormats = null, string? generationPrompt = null)
    {
        var turns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in StandardRoles)
        {
            turns[role] = turnFormat;
        }

        foreach (var (role, format) in roleFormats ?? new Dictionary<string, string>())
        {
            turns[role] = format;
        }

        var template = new ChatPromptTemplate(name, turnFormat) { Turns = turns };
        return generationPrompt is null ? template : template with { GenerationPrompt = generationPrompt };
    }

    /// <summary>Rebuilds a template from a chat template definition (for example Aigc.Data's <c>ChatTemplate.Parameters</c>, read from a sidecar file).</summary>
    /// <param name="parameters">The definition.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><c>name</c> or <c>turn.default</c> is missing, or a format is malformed.</exception>
    public static ChatPromptTemplate FromParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.TryGetValue("name", out var name) || !parameters.TryGetValue("turn.default", out var defaultTurn))
        {
            throw new ArgumentException("A chat template definition needs at least \"name\" and \"turn.default\".", nameof(parameters));
        }

        var turns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (key.StartsWith("turn.", StringComparison.Ordinal) && key != "turn.default")
            {
                turns[key["turn.".Length..]] = value;
            }
        }

        var template = new ChatPromptTemplate(name, defaultTurn) { Turns = turns, DefaultSystemPrompt = parameters.GetValueOrDefault("default_system_prompt") };
        return parameters.TryGetValue("generation_prompt", out var prompt) ? template with { GenerationPrompt = prompt } : template;
    }

    /// <summary>Renders messages (role and text of each) as a prompt ending with <see cref="GenerationPrompt"/>.</summary>
    /// <param name="messages">The messages, in order.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string Render(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var builder = new StringBuilder();
        var first = true;
        foreach (var message in messages)
        {
            var role = message.Role.Value;
            if (first && DefaultSystemPrompt is not null && role != ChatRole.System.Value)
            {
                AppendTurn(builder, "system", DefaultSystemPrompt);
            }

            first = false;
            AppendTurn(builder, role, message.Text);
        }

        if (first && DefaultSystemPrompt is not null)
        {
            AppendTurn(builder, "system", DefaultSystemPrompt);
        }

        return builder.Append(GenerationPrompt).ToString();
    }

    private void AppendTurn(StringBuilder builder, string role, string content)
    {
        var (prefix, suffix) = Split(FormatOf(role), role);
        builder.Append(prefix).Append(content).Append(suffix);
    }

    private string FormatOf(string role) => _turns.TryGetValue(role, out var format) ? format : DefaultTurn;

    private static (string Prefix, string Suffix) Split(string format, string role)
    {
        var index = format.IndexOf(ContentPlaceholder, StringComparison.Ordinal);
        return (format[..index].Replace(RolePlaceholder, role, StringComparison.Ordinal), format[(index + ContentPlaceholder.Length)..].Replace(RolePlaceholder, role, StringComparison.Ordinal));
    }

    private static string CheckFormat(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var index = format.IndexOf(ContentPlaceholder, StringComparison.Ordinal);
        if (index < 0 || format.IndexOf(ContentPlaceholder, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"The turn format \"{format}\" must contain {ContentPlaceholder} exactly once.", nameof(format));
        }

        return format;
    }
}
