using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Imports human labels (step id <c>label.human</c>): a JSONL file of <c>{"id": ..., "label": ...}</c> lines, one per
/// annotated record, applied to one label set. Human labels override programmatic ones.
/// </summary>
/// <remarks>
/// <para>
/// The file is read and validated once by <see cref="LoadAsync"/>, before the pipeline runs: it is configuration, not
/// data, so a malformed line, a missing or empty id or label, or an id given two different labels throws a
/// <see cref="DataFileException"/> naming the file and the line. Blank lines are skipped; the same id with the same
/// label twice is accepted. The file's content hash is part of the step's parameters.
/// </para>
/// <para>
/// A record whose id is in the file gets the label in <see cref="DataRecord.Labels"/> and
/// <see cref="LabelMetadataKeys.HumanSource"/> under <see cref="LabelMetadataKeys.Source"/>, which
/// <see cref="LabelStep"/> never overwrites: human labels win whether this step runs before or after the vote.
/// Counters: <c>label.&lt;set&gt;.human</c> (records labelled), <c>.human.overridden</c> (records whose existing label
/// differed) and <c>.human.unknown</c> (ids in the file no record had). No record is ever dropped.
/// </para>
/// </remarks>
public sealed class HumanLabelsStep : IDataStep
{
    private readonly Dictionary<string, string> _labels;
    private readonly string _sourceKey;
    private readonly string _labelledCounter;
    private readonly string _overriddenCounter;
    private readonly string _unknownCounter;

    /// <summary>Initializes a step that applies labels given in memory (id → label), for example read from a database.</summary>
    /// <param name="labelSet">The label set name, the key in <see cref="DataRecord.Labels"/>.</param>
    /// <param name="labels">The labels by record id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelSet"/> is empty or has white space, or an id or label is empty.</exception>
    public HumanLabelsStep(string labelSet, IReadOnlyDictionary<string, string> labels)
        : this(labelSet, Copy(labels), HashEntries(labels), idField: null, labelField: null)
    {
    }

    private HumanLabelsStep(string labelSet, Dictionary<string, string> labels, string hash, string? idField, string? labelField)
    {
        LabelerNames.Validate(labelSet, nameof(labelSet));
        LabelSet = labelSet;
        _labels = labels;
        _sourceKey = LabelMetadataKeys.Source(labelSet);
        _labelledCounter = "label." + labelSet + ".human";
        _overriddenCounter = "label." + labelSet + ".human.overridden";
        _unknownCounter = "label." + labelSet + ".human.unknown";
        var parameters = new StepParameters()
            .Add("set", labelSet)
            .Add("hash", hash)
            .Add("entries", labels.Count);
        if (idField is not null)
        {
            parameters.Add("id-field", idField).Add("label-field", labelField);
        }

        Parameters = parameters;
    }

    /// <summary>Gets the label set this step writes.</summary>
    public string LabelSet { get; }

    /// <summary>Gets the labels by record id.</summary>
    public IReadOnlyDictionary<string, string> Labels => _labels;

    /// <inheritdoc />
    /// <value><c>label.human</c>.</value>
    public string Id => "label.human";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Keys: <c>set</c>, <c>hash</c> (XxHash128 of the file's bytes, or of the canonical entries when built in
    /// memory), <c>entries</c>, and for a file <c>id-field</c> and <c>label-field</c>.
    /// </remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Reads and validates a JSONL file of human labels.</summary>
    /// <param name="labelSet">The label set name, the key in <see cref="DataRecord.Labels"/>.</param>
    /// <param name="path">The JSONL file: one object per line with an id and a label property.</param>
    /// <param name="options">The property names, or <see langword="null"/> for <c>id</c> and <c>label</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException"><paramref name="labelSet"/> or <paramref name="path"/> is empty, or a property name is empty.</exception>
    /// <exception cref="DataFileException">
    /// The file cannot be read, or a line is not a JSON object with a non-empty id and label, or an id has two
    /// different labels; the message names the file and the line.
    /// </exception>
    public static async Task<HumanLabelsStep> LoadAsync(string labelSet, string path, HumanLabelsOptions? options = null, CancellationToken cancellationToken = default)
    {
        LabelerNames.Validate(labelSet, nameof(labelSet));
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new HumanLabelsOptions();
        ArgumentException.ThrowIfNullOrEmpty(options.IdField, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.LabelField, nameof(options));

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, "the human labels file cannot be read: " + e.Message, e);
        }

        var labels = Parse(path, bytes, options.IdField, options.LabelField);
        var hash = Convert.ToHexStringLower(XxHash128.Hash(bytes));
        return new HumanLabelsStep(labelSet, labels, hash, options.IdField, options.LabelField);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ExecuteAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (_labels.TryGetValue(record.Id, out var label))
            {
                matched.Add(record.Id);
                if (record.HasLabels && record.Labels.TryGetValue(LabelSet, out var existing) && !string.Equals(existing, label, StringComparison.Ordinal))
                {
                    context.Increment(_overriddenCounter);
                }

                record.Labels[LabelSet] = label;
                record.Metadata[_sourceKey] = LabelMetadataKeys.HumanSource;
                context.Increment(_labelledCounter);
            }

            yield return record;
        }

        context.Increment(_unknownCounter, _labels.Count - matched.Count);
    }

    private static Dictionary<string, string> Parse(string path, byte[] bytes, string idField, string labelField)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        ReadOnlyMemory<byte> memory = bytes;
        if (memory.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            memory = memory[3..];
        }

        var lineNumber = 0;
        while (!memory.IsEmpty)
        {
            lineNumber++;
            var end = memory.Span.IndexOf((byte)'\n');
            var line = end < 0 ? memory : memory[..end];
            memory = end < 0 ? ReadOnlyMemory<byte>.Empty : memory[(end + 1)..];
            if (IsBlank(line.Span))
            {
                continue;
            }

            string id;
            string label;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Error(path, lineNumber, $"expected a JSON object with \"{idField}\" and \"{labelField}\", found {root.ValueKind}.");
                }

                id = ReadScalar(path, lineNumber, root, idField, allowBoolean: false);
                label = ReadScalar(path, lineNumber, root, labelField, allowBoolean: true);
            }
            catch (JsonException e)
            {
                throw new DataFileException(path, $"line {lineNumber}: invalid JSON: {e.Message}", e);
            }

            if (labels.TryGetValue(id, out var previous))
            {
                if (!string.Equals(previous, label, StringComparison.Ordinal))
                {
                    throw Error(path, lineNumber, $"id '{id}' is labelled '{label}' but line {lines[id]} labels it '{previous}'; keep one label per id.");
                }

                continue;
            }

            labels.Add(id, label);
            lines.Add(id, lineNumber);
        }

        return labels;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    private static string ReadScalar(string path, int lineNumber, JsonElement root, string name, bool allowBoolean)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            throw Error(path, lineNumber, $"the object has no \"{name}\" property.");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True when allowBoolean => "true",
            JsonValueKind.False when allowBoolean => "false",
            _ => throw Error(path, lineNumber, $"\"{name}\" is {value.ValueKind}; expected a string{(allowBoolean ? ", a number or a boolean" : " or a number")}."),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(path, lineNumber, $"\"{name}\" is empty.");
        }

        return text;
    }

    private static DataFileException Error(string path, int lineNumber, string message) =>
        new(path, $"line {lineNumber}: {message}", null);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var copy = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var (id, label) in labels)
        {
            if (string.IsNullOrEmpty(id))
            {
                throw new ArgumentException("A human label has an empty record id.", nameof(labels));
            }

            if (string.IsNullOrWhiteSpace(label))
            {
                throw new ArgumentException($"The human label of record '{id}' is empty.", nameof(labels));
            }

            copy.Add(id, label);
        }

        return copy;
    }

    private static string HashEntries(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var ids = new string[labels.Count];
        var i = 0;
        foreach (var id in labels.Keys)
        {
            ids[i++] = id;
        }

        Array.Sort(ids, StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(64 + (ids.Length * 32));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(id);
                writer.WriteStringValue(labels[id]);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(XxHash128.Hash(buffer.WrittenSpan));
    }
}
