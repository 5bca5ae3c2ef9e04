using System.Runtime.CompilerServices;

namespace Aigc.Data.Tests.Dedup;

/// <summary>Helpers that feed records to a step and collect what it keeps.</summary>
internal static class DedupTestData
{
    public static async IAsyncEnumerable<DataRecord> Stream(IEnumerable<DataRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return record;
        }
    }

    public static async Task<List<DataRecord>> RunAsync(IDataStep step, IEnumerable<DataRecord> records, DataStepContext context, CancellationToken cancellationToken = default)
    {
        var kept = new List<DataRecord>();
        await foreach (var record in step.ExecuteAsync(Stream(records, cancellationToken), context, cancellationToken))
        {
            kept.Add(record);
        }

        return kept;
    }

    public static List<DataRecord> Texts(params string[] texts) =>
        texts.Select((text, i) => DataRecord.CreateText("r" + i, text)).ToList();

    public static string NewTempDirectory() => Path.Combine(Path.GetTempPath(), "aigc-dedup-tests", Guid.NewGuid().ToString("N"));
}
