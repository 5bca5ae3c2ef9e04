namespace Aigc.Data;

/// <summary>
/// How the fields of a source file map onto a <see cref="DataRecord"/>: the target <see cref="RecordKind"/>, the
/// source name of each canonical field, and optional id, labels, metadata and extra fields. Create one with a
/// factory method (<see cref="Text"/>, <see cref="Alpaca"/>, <see cref="OpenAIMessages"/>, <see cref="ShareGpt"/>,
/// <see cref="Preference"/>, <see cref="ImageCaption"/>) and refine it with the <c>With…</c> methods; instances
/// are immutable.
/// </summary>
/// <remarks>
/// <para>
/// A record whose required field is missing, <see langword="null"/> or of the wrong type is rejected with a reason
/// naming the source field, for example <c>field 'output' is missing</c> or
/// <c>field 'messages[2].content' must be a string, found Number</c>. Optional fields (Alpaca <c>input</c>, the id,
/// labels, metadata and extra fields) may be missing or <see langword="null"/>.
/// </para>
/// <para>
/// The mapping is part of each source's fingerprint through <see cref="Parameters"/>, so a changed mapping makes a
/// new dataset version.
/// </para>
/// </remarks>
public sealed class RecordSchema
{
    /// <summary>The default name of the id field.</summary>
    public const string DefaultIdField = "id";

    /// <summary>The default name of the labels field.</summary>
    public const string DefaultLabelsField = "labels";

    /// <summary>The default name of the metadata field.</summary>
    public const string DefaultMetadataField = "metadata";

    private static readonly string[] TextNames = [FieldNames.Text];
    private static readonly string[] InstructionNames = [FieldNames.Instruction, FieldNames.Input, FieldNames.Output];
    private static readonly string[] ChatNames = [DataRecordJson.MessagesProperty, "role", "content"];
    private static readonly string[] PreferenceNames = [FieldNames.Prompt, FieldNames.Chosen, FieldNames.Rejected];
    private static readonly string[] ImageNames = [DataRecordJson.ImageProperty, FieldNames.Caption];

    private readonly string[] _sourceNames;
    private readonly string[] _extraFields;

    private RecordSchema(
        string name,
        RecordKind kind,
        string[] sourceNames,
        IReadOnlyDictionary<string, string>? roles,
        string? idField,
        string? labelsField,
        string? metadataField,
        string[] extraFields)
    {
        Name = name;
        Kind = kind;
        _sourceNames = sourceNames;
        Roles = roles;
        IdField = idField;
        LabelsField = labelsField;
        MetadataField = metadataField;
        _extraFields = extraFields;
        var canonical = CanonicalNames(kind);
        var fields = new Dictionary<string, string>(canonical.Length, StringComparer.Ordinal);
        for (var i = 0; i < canonical.Length; i++)
        {
            fields[canonical[i]] = sourceNames[i];
        }

        Fields = fields;
    }

    /// <summary>Gets the name of the source shape: <c>text</c>, <c>alpaca</c>, <c>openai-messages</c>, <c>sharegpt</c>, <c>preference</c> or <c>image-caption</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the kind of the records the schema produces.</summary>
    public RecordKind Kind { get; }

    /// <summary>
    /// Gets the field mapping: canonical field name → source field name. The canonical names are those of
    /// <see cref="FieldNames"/> for the kind; for chat records they are <c>messages</c> (the array), <c>role</c> and
    /// <c>content</c> (the properties of each message); for image records <c>image</c> and <c>caption</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>
    /// Gets the role map of a chat schema (source role → canonical role), or <see langword="null"/> when roles are
    /// taken as they are. A message whose role is not in the map rejects its record, naming the role.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Roles { get; }

    /// <summary>Gets the source field holding the record id, or <see langword="null"/> to always use <c>&lt;file name&gt;:&lt;line&gt;</c>.</summary>
    /// <value>The default value is <c>id</c>. When a record has no id (missing or <see langword="null"/>), its id is <c>&lt;file name&gt;:&lt;line&gt;</c>.</value>
    public string? IdField { get; }

    /// <summary>Gets the source field holding an object of strings copied to <see cref="DataRecord.Labels"/>, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <c>labels</c>.</value>
    public string? LabelsField { get; }

    /// <summary>Gets the source field holding an object of strings copied to <see cref="DataRecord.Metadata"/>, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <c>metadata</c>.</value>
    public string? MetadataField { get; }

    /// <summary>
    /// Gets further source fields copied to <see cref="DataRecord.Metadata"/> under their own names: strings as they
    /// are, other JSON values as their JSON text; missing or <see langword="null"/> ones are skipped.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<string> ExtraFields => _extraFields;

    /// <summary>
    /// Gets the schema's canonical parameters (shape, kind, every source name, role map, id, labels, metadata and
    /// extra fields), which enter the fingerprint of every source that uses the schema.
    /// </summary>
    public StepParameters Parameters
    {
        get
        {
            var parameters = new StepParameters()
                .Add("schema", Name)
                .Add("kind", Kind.ToString())
                .Add("id", IdField)
                .Add("labels", LabelsField)
                .Add("metadata", MetadataField)
                .Add("extra", _extraFields);
            foreach (var (canonical, source) in Fields)
            {
                parameters.Add("field." + canonical, source);
            }

            if (Roles is not null)
            {
                var pairs = new List<string>(Roles.Count);
                foreach (var (from, to) in Roles)
                {
                    pairs.Add(from + "=" + to);
                }

                pairs.Sort(StringComparer.Ordinal);
                parameters.Add("roles", pairs);
            }

            return parameters;
        }
    }

    /// <summary>Gets the source names of the canonical fields, in canonical order.</summary>
    internal IReadOnlyList<string> SourceNames => _sourceNames;

    /// <summary>Maps plain-text records: <c>{"text": …}</c>.</summary>
    /// <param name="text">The source field holding the text.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty.</exception>
    public static RecordSchema Text(string text = FieldNames.Text) =>
        Create("text", RecordKind.Text, [Check(text)], roles: null);

    /// <summary>Maps Alpaca instruction records: <c>{"instruction", "input", "output"}</c>; a missing or null input becomes an empty string.</summary>
    /// <param name="instruction">The source field holding the instruction.</param>
    /// <param name="input">The source field holding the optional input.</param>
    /// <param name="output">The source field holding the expected output.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty.</exception>
    public static RecordSchema Alpaca(string instruction = FieldNames.Instruction, string input = FieldNames.Input, string output = FieldNames.Output) =>
        Create("alpaca", RecordKind.Instruction, [Check(instruction), Check(input), Check(output)], roles: null);

    /// <summary>Maps OpenAI chat records: <c>{"messages": [{"role", "content"}, …]}</c>; roles are taken as they are unless a role map is given.</summary>
    /// <param name="messages">The source field holding the array of messages.</param>
    /// <param name="role">The property of each message holding its role.</param>
    /// <param name="content">The property of each message holding its text.</param>
    /// <param name="roles">An optional role map (source role → canonical role); when given, unknown roles reject the record.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty, or the role map has an empty role.</exception>
    public static RecordSchema OpenAIMessages(string messages = DataRecordJson.MessagesProperty, string role = "role", string content = "content", IReadOnlyDictionary<string, string>? roles = null) =>
        Create("openai-messages", RecordKind.Chat, [Check(messages), Check(role), Check(content)], CopyRoles(roles));

    /// <summary>
    /// Maps ShareGPT conversations, <c>{"conversations": [{"from", "value"}, …]}</c>, to chat records. The role map
    /// defaults to <c>human → user</c>, <c>gpt → assistant</c>, <c>system → system</c>; a message with any other
    /// role rejects its record, naming the role.
    /// </summary>
    /// <param name="conversations">The source field holding the array of turns.</param>
    /// <param name="from">The property of each turn holding the speaker.</param>
    /// <param name="value">The property of each turn holding the text.</param>
    /// <param name="roles">The role map (source role → canonical role), replacing the default one when given.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty, or the role map has an empty role.</exception>
    public static RecordSchema ShareGpt(string conversations = "conversations", string from = "from", string value = "value", IReadOnlyDictionary<string, string>? roles = null) =>
        Create("sharegpt", RecordKind.Chat, [Check(conversations), Check(from), Check(value)], CopyRoles(roles) ?? DefaultShareGptRoles());

    /// <summary>Maps preference pairs: <c>{"prompt", "chosen", "rejected"}</c>.</summary>
    /// <param name="prompt">The source field holding the prompt.</param>
    /// <param name="chosen">The source field holding the preferred answer.</param>
    /// <param name="rejected">The source field holding the dispreferred answer.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty.</exception>
    public static RecordSchema Preference(string prompt = FieldNames.Prompt, string chosen = FieldNames.Chosen, string rejected = FieldNames.Rejected) =>
        Create("preference", RecordKind.Preference, [Check(prompt), Check(chosen), Check(rejected)], roles: null);

    /// <summary>Maps image-caption records: <c>{"image": path, "caption": text}</c>; the path is kept as written.</summary>
    /// <param name="image">The source field holding the image path.</param>
    /// <param name="caption">The source field holding the caption.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A field name is null or empty.</exception>
    public static RecordSchema ImageCaption(string image = DataRecordJson.ImageProperty, string caption = FieldNames.Caption) =>
        Create("image-caption", RecordKind.ImageCaption, [Check(image), Check(caption)], roles: null);

    /// <summary>
    /// Returns the schema that reads the canonical form of <paramref name="kind"/> (what <see cref="DataRecordJson"/>
    /// and the record writers produce): chat records as OpenAI messages.
    /// </summary>
    /// <param name="kind">The record kind.</param>
    /// <returns>The schema with default names.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static RecordSchema ForKind(RecordKind kind) => kind switch
    {
        RecordKind.Text => Text(),
        RecordKind.Instruction => Alpaca(),
        RecordKind.Chat => OpenAIMessages(),
        RecordKind.Preference => Preference(),
        RecordKind.ImageCaption => ImageCaption(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown record kind."),
    };

    /// <summary>Returns a copy that reads the record id from another field.</summary>
    /// <param name="field">The source field, or <see langword="null"/> to always use <c>&lt;file name&gt;:&lt;line&gt;</c>.</param>
    /// <returns>The new schema.</returns>
    /// <exception cref="ArgumentException"><paramref name="field"/> is empty.</exception>
    public RecordSchema WithIdField(string? field) =>
        new(Name, Kind, _sourceNames, Roles, CheckOptional(field, nameof(field)), LabelsField, MetadataField, _extraFields);

    /// <summary>Returns a copy that reads the labels from another field.</summary>
    /// <param name="field">The source field holding an object of strings, or <see langword="null"/> for none.</param>
    /// <returns>The new schema.</returns>
    /// <exception cref="ArgumentException"><paramref name="field"/> is empty.</exception>
    public RecordSchema WithLabelsField(string? field) =>
        new(Name, Kind, _sourceNames, Roles, IdField, CheckOptional(field, nameof(field)), MetadataField, _extraFields);

    /// <summary>Returns a copy that reads the metadata object from another field.</summary>
    /// <param name="field">The source field holding an object of strings, or <see langword="null"/> for none.</param>
    /// <returns>The new schema.</returns>
    /// <exception cref="ArgumentException"><paramref name="field"/> is empty.</exception>
    public RecordSchema WithMetadataField(string? field) =>
        new(Name, Kind, _sourceNames, Roles, IdField, LabelsField, CheckOptional(field, nameof(field)), _extraFields);

    /// <summary>Returns a copy that also copies the given source fields to <see cref="DataRecord.Metadata"/>.</summary>
    /// <param name="fields">The source fields, in order (replacing any given before).</param>
    /// <returns>The new schema.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A field name is null or empty.</exception>
    public RecordSchema WithExtraFields(params IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var list = new List<string>();
        foreach (var field in fields)
        {
            if (string.IsNullOrEmpty(field))
            {
                throw new ArgumentException("Extra field names must not be null or empty.", nameof(fields));
            }

            list.Add(field);
        }

        return new(Name, Kind, _sourceNames, Roles, IdField, LabelsField, MetadataField, [.. list]);
    }

    /// <inheritdoc />
    public override string ToString() => Name + " → " + Kind;

    internal static string[] CanonicalNames(RecordKind kind) => kind switch
    {
        RecordKind.Text => TextNames,
        RecordKind.Instruction => InstructionNames,
        RecordKind.Chat => ChatNames,
        RecordKind.Preference => PreferenceNames,
        RecordKind.ImageCaption => ImageNames,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown record kind."),
    };

    private static RecordSchema Create(string name, RecordKind kind, string[] sourceNames, IReadOnlyDictionary<string, string>? roles) =>
        new(name, kind, sourceNames, roles, DefaultIdField, DefaultLabelsField, DefaultMetadataField, []);

    private static string Check(string name, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(name))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        return name;
    }

    private static string? CheckOptional(string? name, string parameter)
    {
        if (name is not null && name.Length == 0)
        {
            throw new ArgumentException("The field name must not be empty; pass null for none.", parameter);
        }

        return name;
    }

    private static Dictionary<string, string>? CopyRoles(IReadOnlyDictionary<string, string>? roles)
    {
        if (roles is null)
        {
            return null;
        }

        var copy = new Dictionary<string, string>(roles.Count, StringComparer.Ordinal);
        foreach (var (from, to) in roles)
        {
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
            {
                throw new ArgumentException("Roles in a role map must not be null or empty.", nameof(roles));
            }

            copy[from] = to;
        }

        return copy;
    }

    private static Dictionary<string, string> DefaultShareGptRoles() => new(StringComparer.Ordinal)
    {
        ["human"] = FieldNames.User,
        ["gpt"] = FieldNames.Assistant,
        ["system"] = FieldNames.System,
    };
}
