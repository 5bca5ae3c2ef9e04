using Aigc.Data;

namespace Aigc.Data.Tests.Labeling;

internal static class LabelingRunner
{
    public static async Task<(List<DataRecord> Output, DataStepContext Context)> RunAsync(IDataStep step, IEnumerable<DataRecord> records)
    {
        var context = new DataStepContext(step.Id);
        var output = new List<DataRecord>();
        await foreach (var record in step.ExecuteAsync(ToAsync(records), context))
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

    public static string WriteTempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "aigc-labeling-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
