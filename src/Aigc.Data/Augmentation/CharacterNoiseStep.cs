using System.Runtime.CompilerServices;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Character-level noise (step id <c>augment.char-noise</c>): keeps every record and adds copies with typos: adjacent
/// letters swapped, a letter dropped or typed twice, or a neighbouring QWERTY key typed instead.
/// </summary>
/// <remarks>
/// <para>
/// Each letter or digit gets a typo with probability <see cref="CharacterNoiseOptions.Rate"/>; white space,
/// punctuation and surrogate pairs (emoji) are never touched, and a field is never emptied. Copies get the id
/// <c>&lt;id&gt;#aug&lt;k&gt;</c> (numbered on from earlier augmentation steps, see <see cref="AugmentMetadataKeys.LastCopy"/>), <see cref="AugmentMetadataKeys.Source"/> = the original id and
/// <see cref="AugmentMetadataKeys.Method"/> = <c>char-noise</c>, and keep the original's labels. A copy whose text
/// equals the original's or an earlier copy's is skipped (counter <c>augment.char-noise.skipped</c>); the copies made
/// are counted in <c>augment.char-noise.copies</c> and reported with <see cref="DataStepContext.MarkAdded"/>.
/// Each record's random generator is seeded from (seed, step id, record id).
/// </para>
/// </remarks>
public sealed class CharacterNoiseStep : IDataStep
{
    private const string Method = "char-noise";
    private const string CopiesCounter = "augment.char-noise.copies";
    private const string SkippedCounter = "augment.char-noise.skipped";

    private readonly double _rate;
    private readonly CharacterNoiseOperations _operations;
    private readonly int _copies;
    private readonly string[] _fields;
    private readonly int? _seed;

    /// <summary>Initializes a character noise step.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message lists every problem).</exception>
    public CharacterNoiseStep(CharacterNoiseOptions? options = null)
    {
        options ??= new CharacterNoiseOptions();
        var errors = new List<string>();
        AugmentSupport.CheckPositive(errors, nameof(CharacterNoiseOptions.Rate), options.Rate, 1);
        AugmentSupport.CheckRange(errors, nameof(CharacterNoiseOptions.CopiesPerRecord), options.CopiesPerRecord, 1, 1000);
        if (options.Operations == CharacterNoiseOperations.None || (options.Operations & ~CharacterNoiseOperations.All) != 0)
        {
            errors.Add($"Operations is {options.Operations}; choose one or more of {CharacterNoiseOperations.All}.");
        }

        _fields = AugmentSupport.CopyFields(options.Fields, errors);
        AugmentSupport.ThrowIfAny(errors, nameof(CharacterNoiseOptions), nameof(options));
        _rate = options.Rate;
        _operations = options.Operations;
        _copies = options.CopiesPerRecord;
        _seed = options.Seed;
        Parameters = new StepParameters()
            .Add("rate", _rate)
            .Add("operations", _operations.ToString())
            .Add("copies", _copies)
            .Add("fields", AugmentSupport.FieldsParameter(_fields))
            .Add("seed", AugmentSupport.SeedParameter(_seed));
    }

    /// <inheritdoc />
    /// <value><c>augment.char-noise</c>.</value>
    public string Id => "augment.char-noise";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    /// <remarks>Keys: <c>rate</c>, <c>operations</c>, <c>copies</c>, <c>fields</c> and <c>seed</c>.</remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    public IAsyncEnumerable<DataRecord> ExecuteAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        var seed = _seed ?? context.Seed;
        var copies = new List<DataRecord>(_copies);
        var texts = new List<string>(_copies);
        var builder = new StringBuilder();
        return AugmentSupport.WithCopiesAsync(records, copies, record => Augment(record, seed, copies, texts, builder, context), cancellationToken);
    }

    private void Augment(DataRecord record, int seed, List<DataRecord> copies, List<string> texts, StringBuilder builder, DataStepContext context)
    {
        copies.Clear();
        texts.Clear();
        AugmentRandom? random = null;
        var original = record.GetText();
        var number = AugmentSupport.FirstCopyNumber(record);
        for (var k = 1; k <= _copies; k++)
        {
            DataRecord? copy = null;
            foreach (var field in record.Fields)
            {
                if (field.Value.Length > 0 && AugmentSupport.IsTarget(record.Kind, field.Name, _fields))
                {
                    random ??= AugmentRandom.ForRecord(seed, Id, record.Id);
                    copy ??= AugmentSupport.CreateCopy(record, number + k - 1, Method);
                    break;
                }
            }

            if (copy is null)
            {
                return;
            }

            foreach (var field in copy.Fields)
            {
                if (field.Value.Length > 0 && AugmentSupport.IsTarget(copy.Kind, field.Name, _fields))
                {
                    field.Value = AddNoise(field.Value, random!, builder);
                }
            }

            var text = copy.GetText();
            if (AugmentSupport.IsRepeat(text, original, texts))
            {
                context.Increment(SkippedCounter);
                continue;
            }

            texts.Add(text);
            copies.Add(copy);
        }

        AugmentSupport.ReserveCopyNumbers(record, number + _copies - 1);
        if (copies.Count > 0)
        {
            context.MarkAdded(copies.Count);
            context.Increment(CopiesCounter, copies.Count);
        }
    }

    private string AddNoise(string text, AugmentRandom random, StringBuilder builder)
    {
        builder.Clear();
        Span<CharacterNoiseOperations> applicable = stackalloc CharacterNoiseOperations[4];
        var kept = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsNoisy(c) || random.NextDouble() >= _rate)
            {
                builder.Append(c);
                kept += IsNoisy(c) ? 1 : 0;
                continue;
            }

            var count = 0;
            var neighbors = KeyboardNeighbors.Of(c);
            if ((_operations & CharacterNoiseOperations.SwapAdjacent) != 0 && i + 1 < text.Length && IsNoisy(text[i + 1]) && text[i + 1] != c)
            {
                applicable[count++] = CharacterNoiseOperations.SwapAdjacent;
            }

            if ((_operations & CharacterNoiseOperations.Drop) != 0)
            {
                applicable[count++] = CharacterNoiseOperations.Drop;
            }

            if ((_operations & CharacterNoiseOperations.Duplicate) != 0)
            {
                applicable[count++] = CharacterNoiseOperations.Duplicate;
            }

            if ((_operations & CharacterNoiseOperations.SubstituteNeighbor) != 0 && neighbors.Length > 0)
            {
                applicable[count++] = CharacterNoiseOperations.SubstituteNeighbor;
            }

            if (count == 0)
            {
                builder.Append(c);
                kept++;
                continue;
            }

            switch (applicable[random.Next(count)])
            {
                case CharacterNoiseOperations.SwapAdjacent:
                    builder.Append(text[i + 1]).Append(c);
                    kept += 2;
                    i++;
                    break;
                case CharacterNoiseOperations.Drop:
                    break;
                case CharacterNoiseOperations.Duplicate:
                    builder.Append(c).Append(c);
                    kept += 2;
                    break;
                default:
                    var neighbor = neighbors[random.Next(neighbors.Length)];
                    builder.Append(char.IsUpper(c) ? char.ToUpperInvariant(neighbor) : neighbor);
                    kept++;
                    break;
            }
        }

        // Never empty a field of its letters and digits: a copy of nothing but spaces is no augmentation.
        return kept == 0 ? text : builder.ToString();
    }

    private static bool IsNoisy(char c) => char.IsLetterOrDigit(c) && !char.IsSurrogate(c);
}
