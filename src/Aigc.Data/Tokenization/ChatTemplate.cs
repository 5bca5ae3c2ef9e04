using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Aigc.Data;

/// <summary>
/// Renders a <see cref="DataRecord"/> as the text a causal language model is trained on, split into
/// <see cref="TemplateSegment"/>s that are either trained or masked from the loss; and renders the same prompt for
/// inference (<see cref="RenderPrompt(IEnumerable{ValueTuple{string, string}}, bool)"/>), so serving formats
/// conversations exactly as training did.
/// </summary>
/// <remarks>
/// <para>
/// Chat records: each message is wrapped in its role's <see cref="ChatTurnFormat"/>. Turns of the
/// <see cref="TrainedRoles"/> (the assistant) are trained: their content and suffix (the end-of-turn marker, so
/// the model learns to stop), not their prefix, which is the generation prompt inference supplies. System, user and
/// tool turns are masked. <see cref="TrainOnAllTurns"/> trains every token.
/// </para>
/// <para>
/// Instruction (Alpaca) and preference records: when the template has an <see cref="InstructionPrompt"/> the
/// instruction (and input) are written into it and the output (or the chosen answer) follows, trained; otherwise
/// they are rendered as a user turn and an assistant turn. Text records are trained as they are.
/// Image-caption records are not text examples and are refused.
/// </para>
/// <para>
/// Equality compares the template's definition (<see cref="Parameters"/>). Use a <c>with</c> expression to derive
/// a template, for example <c>ChatTemplate.ChatML with { TrainOnAllTurns = true }</c>.
/// </para>
/// </remarks>
public sealed record ChatTemplate
{
    /// <summary>The placeholder for the instruction in <see cref="InstructionPrompt"/> and <see cref="InstructionWithInputPrompt"/>.</summary>
    public const string InstructionPlaceholder = "{instruction}";

    /// <summary>The placeholder for the input in <see cref="InstructionWithInputPrompt"/>.</summary>
    public const string InputPlaceholder = "{input}";

    private const string InstructionInputSeparator = "\n\n";

    private static readonly string[] StandardRoles = [FieldNames.System, FieldNames.User, FieldNames.Assistant, FieldNames.Tool];

    private readonly string _name = null!;
    private readonly ChatTurnFormat _defaultTurn = null!;
    private readonly FrozenDictionary<string, ChatTurnFormat> _turns = FrozenDictionary<string, ChatTurnFormat>.Empty;
    private readonly string? _generationPrompt;
    private readonly IReadOnlyList<string> _trainedRoles = [FieldNames.Assistant];
    private readonly PromptFormat? _instructionPrompt;
    private readonly PromptFormat? _instructionWithInputPrompt;

    /// <summary>Initializes a template whose turns all use one format.</summary>
    /// <param name="name">The template's name, for example <c>chatml</c>.</param>
    /// <param name="defaultTurn">The format of every role without an entry in <see cref="Turns"/> (may contain <c>{role}</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="defaultTurn"/> is <see langword="null"/>.</exception>
    public ChatTemplate(string name, ChatTurnFormat defaultTurn)
    {
        Name = name;
        DefaultTurn = defaultTurn;
    }

    /// <summary>Gets ChatML: <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c>, generation prompt <c>&lt;|im_start|&gt;assistant\n</c>.</summary>
    public static ChatTemplate ChatML { get; } = FromFormat("chatml", "<|im_start|>{role}\n{content}<|im_end|>\n");

    /// <summary>Gets a plain template: <c>{role}: {content}\n</c>, generation prompt <c>assistant: </c>.</summary>
    public static ChatTemplate Plain { get; } = FromFormat("plain", "{role}: {content}\n");

    /// <summary>
    /// Gets the Stanford Alpaca template: instruction records use the standard prompt ("Below is an instruction that
    /// describes a task...", with or without the input section, ending in <c>### Response:\n</c>); conversations use
    /// <c>### Instruction:</c> / <c>### Response:</c> turns after the same preamble.
    /// </summary>
    public static ChatTemplate Alpaca { get; } = new ChatTemplate("alpaca", new ChatTurnFormat("### {role}:\n", "\n\n"))
    {
        Turns = new Dictionary<string, ChatTurnFormat>(StringComparer.Ordinal)
        {
            [FieldNames.System] = new ChatTurnFormat(string.Empty, "\n\n"),
            [FieldNames.User] = new ChatTurnFormat("### Instruction:\n", "\n\n"),
            [FieldNames.Assistant] = new ChatTurnFormat("### Response:\n", "\n\n"),
            [FieldNames.Tool] = new ChatTurnFormat("### Input:\n", "\n\n"),
        },
        DefaultSystemPrompt = "Below is an instruction that describes a task. Write a response that appropriately completes the request.",
        InstructionPrompt = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n{instruction}\n\n### Response:\n",
        InstructionWithInputPrompt = "Below is an instruction that describes a task, paired with an input that provides further context. "
            + "Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n",
    };

    /// <summary>Gets the template's name.</summary>
    /// <exception cref="ArgumentException">The value set is null or empty.</exception>
    public string Name
    {
        get => _name;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _name = value;
        }
    }

    /// <summary>Gets the format of every role without an entry in <see cref="Turns"/>; <c>{role}</c> is replaced by the role.</summary>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    public ChatTurnFormat DefaultTurn
    {
        get => _defaultTurn;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _defaultTurn = value;
        }
    }

    /// <summary>Gets the formats of particular roles (role → format; <c>{role}</c> is replaced when set).</summary>
    /// <value>The default value is empty: every role uses <see cref="DefaultTurn"/>.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/> or holds a <see langword="null"/> format.</exception>
    public IReadOnlyDictionary<string, ChatTurnFormat> Turns
    {
        get => _turns;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var turns = new Dictionary<string, ChatTurnFormat>(StringComparer.Ordinal);
            foreach (var (role, format) in value)
            {
                ArgumentException.ThrowIfNullOrEmpty(role, nameof(value));
                ArgumentNullException.ThrowIfNull(format, nameof(value));
                turns[role] = format.ForRole(role);
            }

            _turns = turns.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Gets the text that opens the assistant's turn at inference (<see cref="RenderPrompt(IEnumerable{ValueTuple{string, string}}, bool)"/>
    /// appends it); it should equal the prefix of the assistant turn, so training and serving agree.
    /// </summary>
    /// <value>The default value is the prefix of the assistant turn.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    public string GenerationPrompt
    {
        get => _generationPrompt ?? GetTurn(FieldNames.Assistant).Prefix;
        init => _generationPrompt = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the system message inserted when a conversation does not start with one, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DefaultSystemPrompt { get; init; }

    /// <summary>
    /// Gets the prompt instruction and preference records are written into (with <c>{instruction}</c>), ending where
    /// the response starts; <see langword="null"/> renders them as a user turn and an assistant turn.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? InstructionPrompt
    {
        get => _instructionPrompt?.Text;
        init => _instructionPrompt = PromptFormat.Parse(value);
    }

    /// <summary>
    /// Gets the prompt for instruction records with a non-blank input (with <c>{instruction}</c> and <c>{input}</c>);
    /// when <see langword="null"/>, the input is appended to the instruction after a blank line.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? InstructionWithInputPrompt
    {
        get => _instructionWithInputPrompt?.Text;
        init => _instructionWithInputPrompt = PromptFormat.Parse(value);
    }

    /// <summary>Gets whether every token is trained (prompts, role markers and all turns), not only the responses.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TrainOnAllTurns { get; init; }

    /// <summary>Gets the roles whose turns are trained (content and suffix).</summary>
    /// <value>The default value is <c>assistant</c>.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A role is empty or contains a comma.</exception>
    public IReadOnlyList<string> TrainedRoles
    {
        get => _trainedRoles;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var roles = new string[value.Count];
            for (var i = 0; i < roles.Length; i++)
            {
                var role = value[i];
                if (string.IsNullOrEmpty(role) || role.Contains(',', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Trained role \"{role}\" is empty or contains a comma.", nameof(value));
                }

                roles[i] = role;
            }

            _trainedRoles = roles;
        }
    }

    /// <summary>
    /// Gets the template's definition in canonical form (names such as <c>turn.user</c>, <c>generation_prompt</c>),
    /// for dataset fingerprints and sidecar files; <see cref="FromParameters"/> rebuilds an equal template from it.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new StepParameters()
                .Add("name", Name)
                .Add("turn.default", DefaultTurn.Format)
                .Add("generation_prompt", GenerationPrompt)
                .Add("train_on_all_turns", TrainOnAllTurns)
                .Add("trained_roles", TrainedRoles);
            foreach (var (role, format) in _turns)
            {
                parameters.Add("turn." + role, format.Format);
            }

            if (DefaultSystemPrompt is not null)
            {
                parameters.Add("default_system_prompt", DefaultSystemPrompt);
            }

            if (InstructionPrompt is not null)
            {
                parameters.Add("instruction_prompt", InstructionPrompt);
            }

            if (InstructionWithInputPrompt is not null)
            {
                parameters.Add("instruction_input_prompt", InstructionWithInputPrompt);
            }

            return parameters;
        }
    }

    /// <summary>
    /// Creates a template from format strings: <paramref name="turnFormat"/> such as
    /// <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c> for every role, optionally overridden per role.
    /// </summary>
    /// <param name="name">The template's name.</param>
    /// <param name="turnFormat">The turn format for every role, with <c>{content}</c> once and optionally <c>{role}</c>.</param>
    /// <param name="roleFormats">Turn formats of particular roles (role → format), or <see langword="null"/>.</param>
    /// <param name="generationPrompt">The generation prompt, or <see langword="null"/> for the assistant turn's prefix.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a format lacks <c>{content}</c> or has it twice.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="turnFormat"/> is <see langword="null"/>.</exception>
    public static ChatTemplate FromFormat(string name, string turnFormat, IReadOnlyDictionary<string, string>? roleFormats = null, string? generationPrompt = null)
    {
        var defaultTurn = ChatTurnFormat.Parse(turnFormat);
        var turns = new Dictionary<string, ChatTurnFormat>(StringComparer.Ordinal);
        foreach (var role in StandardRoles)
        {
            turns[role] = defaultTurn;
        }

        if (roleFormats is not null)
        {
            foreach (var (role, format) in roleFormats)
            {
                turns[role] = ChatTurnFormat.Parse(format);
            }
        }

        var template = new ChatTemplate(name, defaultTurn) { Turns = turns };
        return generationPrompt is null ? template : template with { GenerationPrompt = generationPrompt };
    }

    /// <summary>Rebuilds a template from its <see cref="Parameters"/> (for example read from a sidecar file).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The template, equal to the one the parameters came from.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A required parameter (<c>name</c>, <c>turn.default</c>) is missing or a value is malformed.</exception>
    public static ChatTemplate FromParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.TryGetValue("name", out var name) || !parameters.TryGetValue("turn.default", out var defaultTurn))
        {
            throw new ArgumentException("Template parameters need at least \"name\" and \"turn.default\".", nameof(parameters));
        }

        var turns = new Dictionary<string, ChatTurnFormat>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (key.StartsWith("turn.", StringComparison.Ordinal) && key != "turn.default")
            {
                turns[key["turn.".Length..]] = ChatTurnFormat.Parse(value);
            }
        }

        var trainOnAll = false;
        if (parameters.TryGetValue("train_on_all_turns", out var trainOnAllText) && !bool.TryParse(trainOnAllText, out trainOnAll))
        {
            throw new ArgumentException($"Template parameter train_on_all_turns \"{trainOnAllText}\" is not true or false.", nameof(parameters));
        }

        var template = new ChatTemplate(name, ChatTurnFormat.Parse(defaultTurn))
        {
            Turns = turns,
            DefaultSystemPrompt = parameters.GetValueOrDefault("default_system_prompt"),
            InstructionPrompt = parameters.GetValueOrDefault("instruction_prompt"),
            InstructionWithInputPrompt = parameters.GetValueOrDefault("instruction_input_prompt"),
            TrainOnAllTurns = trainOnAll,
        };
        if (parameters.TryGetValue("trained_roles", out var roles))
        {
            template = template with { TrainedRoles = roles.Length == 0 ? [] : roles.Split(',') };
        }

        return parameters.TryGetValue("generation_prompt", out var generationPrompt) ? template with { GenerationPrompt = generationPrompt } : template;
    }

    /// <summary>Returns the turn format of a role (its entry in <see cref="Turns"/>, else <see cref="DefaultTurn"/> for it).</summary>
    /// <param name="role">The role.</param>
    /// <returns>The format, with <c>{role}</c> replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public ChatTurnFormat GetTurn(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return _turns.TryGetValue(role, out var format) ? format : DefaultTurn.ForRole(role);
    }

    /// <summary>Returns whether turns of <paramref name="role"/> are trained.</summary>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> when the role is one of <see cref="TrainedRoles"/> or <see cref="TrainOnAllTurns"/> is set.</returns>
    public bool IsTrained(string role)
    {
        if (TrainOnAllTurns)
        {
            return true;
        }

        foreach (var trained in _trainedRoles)
        {
            if (string.Equals(trained, role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Renders a record into trained and masked segments.</summary>
    /// <param name="record">The record.</param>
    /// <param name="segments">Receives the segments, in order (appended).</param>
    /// <param name="reason">Why the record cannot be rendered, when it cannot.</param>
    /// <returns><see langword="true"/> when the record was rendered; <see langword="false"/> (with a reason) when it lacks what its kind needs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> or <paramref name="segments"/> is <see langword="null"/>.</exception>
    public bool TryRender(DataRecord record, ICollection<TemplateSegment> segments, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(segments);
        switch (record.Kind)
        {
            case RecordKind.Text:
                var text = record.GetField(FieldNames.Text);
                if (string.IsNullOrEmpty(text))
                {
                    reason = "text record has no text";
                    return false;
                }

                segments.Add(new TemplateSegment(text, Trainable: true, IsContent: true));
                reason = null;
                return true;
            case RecordKind.Chat:
                return TryRenderChat(record, segments, out reason);
            case RecordKind.Instruction:
                var instruction = record.GetField(FieldNames.Instruction);
                var output = record.GetField(FieldNames.Output);
                if (instruction is null || output is null)
                {
                    reason = $"instruction record lacks the \"{(instruction is null ? FieldNames.Instruction : FieldNames.Output)}\" field";
                    return false;
                }

                RenderPromptAndResponse(instruction, record.GetField(FieldNames.Input) ?? string.Empty, output, segments);
                reason = null;
                return true;
            case RecordKind.Preference:
                var prompt = record.GetField(FieldNames.Prompt);
                var chosen = record.GetField(FieldNames.Chosen);
                if (prompt is null || chosen is null)
                {
                    reason = $"preference record lacks the \"{(prompt is null ? FieldNames.Prompt : FieldNames.Chosen)}\" field";
                    return false;
                }

                RenderPromptAndResponse(prompt, string.Empty, chosen, segments);
                reason = null;
                return true;
            default:
                reason = $"{record.Kind} records are not text examples; convert them to text or chat records before tokenizing";
                return false;
        }
    }

    /// <summary>Renders a record into trained and masked segments.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The segments, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record lacks what its kind needs (the message says what).</exception>
    public IReadOnlyList<TemplateSegment> Render(DataRecord record)
    {
        var segments = new List<TemplateSegment>();
        if (!TryRender(record, segments, out var reason))
        {
            throw new ArgumentException($"Record \"{record.Id}\" cannot be rendered with template \"{Name}\": {reason}.", nameof(record));
        }

        return segments;
    }

    /// <summary>
    /// Renders a conversation as the prompt a model completes at inference: every message in its turn format
    /// (after <see cref="DefaultSystemPrompt"/> when the first message is not a system message), then
    /// <see cref="GenerationPrompt"/>. It equals the masked text before the first assistant content in training.
    /// </summary>
    /// <param name="messages">The messages as (role, content) pairs, in order.</param>
    /// <param name="addGenerationPrompt">Whether to append <see cref="GenerationPrompt"/>.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(IEnumerable<(string Role, string Content)> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var builder = new StringBuilder();
        var first = true;
        foreach (var (role, content) in messages)
        {
            ArgumentNullException.ThrowIfNull(role, nameof(messages));
            if (first)
            {
                AppendDefaultSystem(builder, role);
                first = false;
            }

            var turn = GetTurn(role);
            builder.Append(turn.Prefix).Append(content).Append(turn.Suffix);
        }

        if (first)
        {
            AppendDefaultSystem(builder, null);
        }

        if (addGenerationPrompt)
        {
            builder.Append(GenerationPrompt);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Renders Microsoft.Extensions.AI chat messages (role name and text of each) as an inference prompt, ending with
    /// <see cref="GenerationPrompt"/>.
    /// </summary>
    /// <param name="messages">The messages, in order.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pairs = new List<(string Role, string Content)>();
        foreach (var message in messages)
        {
            pairs.Add((message.Role.Value, message.Text));
        }

        return RenderPrompt(pairs, addGenerationPrompt: true);
    }

    /// <summary>
    /// Renders an instruction (and optional input) as the prompt a model completes at inference, exactly as
    /// instruction records are rendered in training up to the response.
    /// </summary>
    /// <param name="instruction">The instruction.</param>
    /// <param name="input">The optional input (blank for none).</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="instruction"/> is <see langword="null"/>.</exception>
    public string RenderInstructionPrompt(string instruction, string? input = null)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var segments = new List<TemplateSegment>();
        RenderPromptAndResponse(instruction, input ?? string.Empty, response: null, segments);
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            builder.Append(segment.Text);
        }

        return builder.ToString();
    }

    /// <summary>Returns whether another template has the same definition.</summary>
    /// <param name="other">The other template.</param>
    /// <returns><see langword="true"/> when both have equal <see cref="Parameters"/>.</returns>
    public bool Equals(ChatTemplate? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null)
        {
            return false;
        }

        var mine = Parameters;
        var theirs = other.Parameters;
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        foreach (var (key, value) in mine)
        {
            if (!theirs.TryGetValue(key, out var otherValue) || !string.Equals(value, otherValue, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var (key, value) in Parameters)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ChatTemplate {Name}");

    private void AppendDefaultSystem(StringBuilder builder, string? firstRole)
    {
        if (DefaultSystemPrompt is not null && !string.Equals(firstRole, FieldNames.System, StringComparison.Ordinal))
        {
            var turn = GetTurn(FieldNames.System);
            builder.Append(turn.Prefix).Append(DefaultSystemPrompt).Append(turn.Suffix);
        }
    }

    private bool TryRenderChat(DataRecord record, ICollection<TemplateSegment> segments, [NotNullWhen(false)] out string? reason)
    {
        var fields = record.Fields;
        if (fields.Count == 0)
        {
            reason = "chat record has no messages";
            return false;
        }

        if (DefaultSystemPrompt is not null && !string.Equals(fields[0].Name, FieldNames.System, StringComparison.Ordinal))
        {
            var system = GetTurn(FieldNames.System);
            AddTurn(segments, system, DefaultSystemPrompt, trained: TrainOnAllTurns, isContent: false);
        }

        var trainedTurns = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var trained = IsTrained(field.Name);
            if (trained)
            {
                trainedTurns++;
            }

            AddTurn(segments, GetTurn(field.Name), field.Value, trained, isContent: true);
        }

        if (trainedTurns == 0)
        {
            reason = $"chat record has no {string.Join(" or ", _trainedRoles)} turn to train on";
            return false;
        }

        reason = null;
        return true;
    }

    private void AddTurn(ICollection<TemplateSegment> segments, ChatTurnFormat turn, string content, bool trained, bool isContent)
    {
        // The prefix of a trained turn is the generation prompt, which inference supplies: masked unless everything is trained.
        AddLiteral(segments, turn.Prefix, TrainOnAllTurns);
        segments.Add(new TemplateSegment(content, trained, isContent));
        AddLiteral(segments, turn.Suffix, trained);
    }

    private static void AddLiteral(ICollection<TemplateSegment> segments, string text, bool trainable)
    {
        if (text.Length > 0)
        {
            segments.Add(new TemplateSegment(text, trainable, IsContent: false));
        }
    }

    private void RenderPromptAndResponse(string instruction, string input, string? response, ICollection<TemplateSegment> segments)
    {
        var hasInput = !string.IsNullOrWhiteSpace(input);
        var prompt = hasInput && _instructionWithInputPrompt is not null ? _instructionWithInputPrompt : _instructionPrompt;
        if (prompt is null)
        {
            // As a conversation: a user turn holding the instruction (and input), then the assistant's response.
            if (DefaultSystemPrompt is not null)
            {
                AddTurn(segments, GetTurn(FieldNames.System), DefaultSystemPrompt, trained: TrainOnAllTurns, isContent: false);
            }

            var user = GetTurn(FieldNames.User);
            AddLiteral(segments, user.Prefix, TrainOnAllTurns);
            AddInstruction(segments, instruction, hasInput ? input : null);
            AddLiteral(segments, user.Suffix, TrainOnAllTurns);
            var assistant = GetTurn(FieldNames.Assistant);
            AddLiteral(segments, assistant.Prefix, TrainOnAllTurns);
            if (response is not null)
            {
                segments.Add(new TemplateSegment(response, Trainable: true, IsContent: true));
                AddLiteral(segments, assistant.Suffix, trainable: true);
            }

            return;
        }

        // An input the prompt has no place for follows the instruction after a blank line.
        var appendInput = hasInput && !prompt.HasInput;
        foreach (var (text, kind) in prompt.Pieces)
        {
            switch (kind)
            {
                case PromptFormat.Instruction:
                    AddInstruction(segments, instruction, appendInput ? input : null);
                    break;
                case PromptFormat.Input:
                    segments.Add(new TemplateSegment(input, TrainOnAllTurns, IsContent: true));
                    break;
                default:
                    AddLiteral(segments, text, TrainOnAllTurns);
                    break;
            }
        }

        if (response is not null)
        {
            segments.Add(new TemplateSegment(response, Trainable: true, IsContent: true));
        }
    }

    private void AddInstruction(ICollection<TemplateSegment> segments, string instruction, string? input)
    {
        segments.Add(new TemplateSegment(instruction, TrainOnAllTurns, IsContent: true));
        if (input is not null)
        {
            segments.Add(new TemplateSegment(InstructionInputSeparator, TrainOnAllTurns, IsContent: false));
            segments.Add(new TemplateSegment(input, TrainOnAllTurns, IsContent: true));
        }
    }
}
