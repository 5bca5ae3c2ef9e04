using Aigc.Data;

namespace Aigc.Data.Tests.Augmentation;

internal static class AugmentRunner
{
    public static async Task<(List<DataRecord> Output, DataStepContext Context)> RunAsync(IDataStep step, IEnumerable<DataRecord> records, int seed = 42, CancellationToken cancellationToken = default)
    {
        var context = new DataStepContext(step.Id, seed: seed);
        var output = new List<DataRecord>();
        await foreach (var record in step.ExecuteAsync(ToAsync(records), context, cancellationToken))
        {
            output.Add(record);
        }

        return (output, context);
    }

    public static async IAsyncEnumerable<DataRecord> ToAsync(IEnumerable<DataRecord> records)
    {
        foreach (var record in records)
        {
            await Task.Yield();
            yield return record;
        }
    }

    /// <summary>Checks in + added = out + rejected + deduplicated for one step.</summary>
    public static void AssertReconciles(int inCount, List<DataRecord> output, DataStepContext context) =>
        Assert.Equal(inCount + context.AddedCount, output.Count + context.RejectedCount + context.DuplicateCount);

    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "aigc-augment-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static List<DataRecord> CopiesOf(List<DataRecord> output, string id)
    {
        var copies = new List<DataRecord>();
        foreach (var record in output)
        {
            if (record.HasMetadata && record.Metadata.TryGetValue(AugmentMetadataKeys.Source, out var source) && source == id)
            {
                copies.Add(record);
            }
        }

        return copies;
    }
}
