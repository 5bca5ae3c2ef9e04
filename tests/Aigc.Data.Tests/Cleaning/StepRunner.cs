namespace Aigc.Data.Tests.Cleaning;

/// <summary>Runs one step over in-memory records and returns what it kept and its context.</summary>
internal static class StepRunner
{
    public static async Task<(List<DataRecord> Kept, DataStepContext Context)> RunAsync(IDataStep step, params DataRecord[] records)
    {
        var context = new DataStepContext(step.Id);
        var kept = new List<DataRecord>();
        await foreach (var record in step.ExecuteAsync(ToAsync(records), context))
        {
            kept.Add(record);
        }

        Assert.Equal(records.Length, kept.Count + context.RejectedCount + context.DuplicateCount);
        return (kept, context);
    }

    public static async Task<string> RunTextAsync(IDataStep step, string text)
    {
        var (kept, _) = await RunAsync(step, DataRecord.CreateText("r1", text));
        return Assert.Single(kept).Fields[0].Value;
    }

    public static long Counter(this DataStepContext context, string name) => context.Counters.TryGetValue(name, out var value) ? value : 0;

    public static string SingleReason(this DataStepContext context) => Assert.Single(context.Rejects).Reason;

    private static async IAsyncEnumerable<DataRecord> ToAsync(IEnumerable<DataRecord> records)
    {
        foreach (var record in records)
        {
            await Task.Yield();
            yield return record;
        }
    }
}
