using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// Easy Data Augmentation (Wei and Zou, 2019; step id <c>augment.eda</c>): keeps every record and adds copies made by
/// synonym replacement (from a user-supplied synonym map), random insertion of synonyms, random swap and random
/// deletion of words.
/// </summary>
/// <remarks>
/// <para>
/// Each copy applies one operation to every augmented field; the operations with a non-zero α take turns, starting
/// from one chosen at random per record, so <see cref="EdaOptions.CopiesPerRecord"/> copies spread evenly over them as
/// in the paper. Words are split on white space and the white space between them is kept; punctuation attached to a
/// word stays with it, and a synonym takes the replaced word's capitalisation. Synonyms come only from the map.
/// </para>
/// <para>
/// Copies get the id <c>&lt;id&gt;#aug&lt;k&gt;</c> (numbered on from earlier augmentation steps, see <see cref="AugmentMetadataKeys.LastCopy"/>), <see cref="AugmentMetadataKeys.Source"/> = the original id and
/// <see cref="AugmentMetadataKeys.Method"/> = the operation (<c>eda.synonym-replacement</c>, ...), and keep the
/// original's labels. A copy whose text equals the original's or an earlier copy's is skipped (counter
/// <c>augment.eda.skipped</c>); the copies made are counted in <c>augment.eda.copies</c> and reported with
/// <see cref="DataStepContext.MarkAdded"/>. Each record's random generator is seeded from (seed, step id, record id),
/// so the output is the same whatever the order of the records.
/// </para>
/// </remarks>
public sealed class EdaAugmentStep : IDataStep
{
    private const string CopiesCounter = "augment.eda.copies";
    private const string SkippedCounter = "augment.eda.skipped";

    private readonly EdaSynonymMap _synonyms;
    private readonly EdaOperation[] _operations;
    private readonly double[] _alphas;
    private readonly int _copies;
    private readonly string[] _fields;
    private readonly int? _seed;

    /// <summary>Initializes an EDA step.</summary>
    /// <param name="synonyms">The synonym map: word → synonyms (looked up case-insensitively).</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="synonyms"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message lists every problem).</exception>
    public EdaAugmentStep(IReadOnlyDictionary<string, IReadOnlyList<string>> synonyms, EdaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(synonyms);
        options ??= new EdaOptions();
        var errors = new List<string>();
        AugmentSupport.CheckRange(errors, nameof(EdaOptions.SynonymReplacementAlpha), options.SynonymReplacementAlpha, 0, 1);
        AugmentSupport.CheckRange(errors, nameof(EdaOptions.RandomInsertionAlpha), options.RandomInsertionAlpha, 0, 1);
        AugmentSupport.CheckRange(errors, nameof(EdaOptions.RandomSwapAlpha), options.RandomSwapAlpha, 0, 1);
        AugmentSupport.CheckRange(errors, nameof(EdaOptions.RandomDeletionAlpha), options.RandomDeletionAlpha, 0, 1);
        AugmentSupport.CheckRange(errors, nameof(EdaOptions.CopiesPerRecord), options.CopiesPerRecord, 1, 1000);
        _fields = AugmentSupport.CopyFields(options.Fields, errors);
        _alphas = [options.SynonymReplacementAlpha, options.RandomInsertionAlpha, options.RandomSwapAlpha, options.RandomDeletionAlpha];
        var operations = new List<EdaOperation>(4);
        for (var i = 0; i < _alphas.Length; i++)
        {
            if (_alphas[i] > 0)
            {
                operations.Add((EdaOperation)i);
            }
        }

        if (operations.Count == 0 && errors.Count == 0)
        {
            errors.Add("Every α is 0; set at least one of SynonymReplacementAlpha, RandomInsertionAlpha, RandomSwapAlpha and RandomDeletionAlpha.");
        }

        AugmentSupport.ThrowIfAny(errors, nameof(EdaOptions), nameof(options));
        _operations = [.. operations];
        _copies = options.CopiesPerRecord;
        _seed = options.Seed;
        _synonyms = new EdaSynonymMap(synonyms);
        Parameters = new StepParameters()
            .Add("alpha-sr", options.SynonymReplacementAlpha)
            .Add("alpha-ri", options.RandomInsertionAlpha)
            .Add("alpha-rs", options.RandomSwapAlpha)
            .Add("alpha-rd", options.RandomDeletionAlpha)
            .Add("copies", _copies)
            .Add("fields", AugmentSupport.FieldsParameter(_fields))
            .Add("seed", AugmentSupport.SeedParameter(_seed))
            .Add("synonyms", _synonyms.Hash)
            .Add("synonym-words", _synonyms.Count);
    }

    /// <inheritdoc />
    /// <value><c>augment.eda</c>.</value>
    public string Id => "augment.eda";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Keys: <c>alpha-sr</c>, <c>alpha-ri</c>, <c>alpha-rs</c>, <c>alpha-rd</c>, <c>copies</c>, <c>fields</c>
    /// (<c>default</c> or the names), <c>seed</c> (<c>pipeline</c> or the step's seed), <c>synonyms</c> (the map's
    /// content hash) and <c>synonym-words</c>.
    /// </remarks>
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
        return AugmentSupport.WithCopiesAsync(records, copies, record => Augment(record, seed, copies, texts, context), cancellationToken);
    }

    private void Augment(DataRecord record, int seed, List<DataRecord> copies, List<string> texts, DataStepContext context)
    {
        copies.Clear();
        texts.Clear();
        if (!HasTarget(record))
        {
            return;
        }

        var random = AugmentRandom.ForRecord(seed, Id, record.Id);
        var first = random.Next(_operations.Length);
        var original = record.GetText();
        var number = AugmentSupport.FirstCopyNumber(record);
        for (var k = 1; k <= _copies; k++)
        {
            var operation = _operations[(first + k - 1) % _operations.Length];
            var copy = AugmentSupport.CreateCopy(record, number + k - 1, EdaOperations.MethodName(operation));
            foreach (var field in copy.Fields)
            {
                if (field.Value.Length > 0 && AugmentSupport.IsTarget(record.Kind, field.Name, _fields))
                {
                    var sentence = EdaSentence.Parse(field.Value);
                    EdaOperations.Apply(operation, sentence, _alphas[(int)operation], _synonyms, random);
                    field.Value = sentence.ToString();
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

    private bool HasTarget(DataRecord record)
    {
        foreach (var field in record.Fields)
        {
            if (field.Value.Length > 0 && AugmentSupport.IsTarget(record.Kind, field.Name, _fields))
            {
                return true;
            }
        }

        return false;
    }
}
