using System.Runtime.CompilerServices;

namespace Aigc.Data.Tests.Pipeline;

/// <summary>A source over records in memory, for tests of the pipeline itself.</summary>
internal sealed class ListSource(RecordKind kind, IReadOnlyList<DataRecord> records, string content = "v1", int rejectEvery = 0) : IDataSource
{
    public string Id => "read.test";

    public RecordKind Kind => kind;

    public IReadOnlyList<DatasetReference> Parents { get; init; } = [];

    public ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(DatasetFingerprint.HashText(content));

    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        for (var i = 0; i < records.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rejectEvery > 0 && i % rejectEvery == 0)
            {
                context.RejectRaw("{broken", "invalid JSON: test", new RecordSource("test.jsonl", i + 1));
                continue;
            }

            yield return records[i].Clone();
        }
    }
}

/// <summary>Rejects records whose text is shorter than a bound.</summary>
internal sealed class MinLengthStep(int minLength) : RecordStep
{
    public override string Id => "test.min-length";

    public override int Version => 1;

    public override IReadOnlyDictionary<string, string> Parameters => new StepParameters().Add("min", minLength);

    protected override StepDecision Process(DataRecord record, DataStepContext context) =>
        record.GetText().Length < minLength ? StepDecision.Reject($"too short: {record.GetText().Length} < {minLength}") : StepDecision.Keep;
}

/// <summary>Drops records whose text was seen before.</summary>
internal sealed class SeenBeforeStep : RecordStep
{
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

    public override string Id => "test.seen-before";

    public override int Version => 1;

    public override IReadOnlyDictionary<string, string> Parameters => StepParameters.None;

    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        if (_seen.TryGetValue(record.GetText(), out var survivor))
        {
            return StepDecision.Duplicate(survivor);
        }

        _seen.Add(record.GetText(), record.Id);
        context.Increment("test.unique");
        return StepDecision.Keep;
    }
}

/// <summary>Adds one copy of every record.</summary>
internal sealed class DuplicateEveryRecordStep : IDataStep
{
    public string Id => "test.copy";

    public int Version => 1;

    public IReadOnlyDictionary<string, string> Parameters => StepParameters.None;

    public async IAsyncEnumerable<DataRecord> ExecuteAsync(IAsyncEnumerable<DataRecord> records, DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            yield return record;
            var copy = record.Clone();
            copy.Id += "#copy";
            context.MarkAdded();
            yield return copy;
        }
    }
}

/// <summary>A faulty step: drops every other record without saying so.</summary>
internal sealed class SilentDropStep : IDataStep
{
    public string Id => "test.silent-drop";

    public int Version => 1;

    public IReadOnlyDictionary<string, string> Parameters => StepParameters.None;

    public async IAsyncEnumerable<DataRecord> ExecuteAsync(IAsyncEnumerable<DataRecord> records, DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var i = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (i++ % 2 == 0)
            {
                yield return record;
            }
        }
    }
}

/// <summary>Splits by the parity of the numeric id suffix.</summary>
internal sealed class ParitySplitter : IRecordSplitter
{
    public string Id => "test.parity";

    public int Version => 1;

    public IReadOnlyDictionary<string, string> Parameters => StepParameters.None;

    public string GetSplit(DataRecord record) => int.Parse(record.Id.AsSpan(record.Id.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "train" : "test";
}
