using System.Text;

namespace Aigc.Data.Tests.Formats;

[CollectionDefinition(nameof(MemorySensitive), DisableParallelization = true)]
public sealed class MemorySensitive;

/// <summary>Runs alone (no other test allocating at the same time), so the heap samples are this test's.</summary>
[Collection(nameof(MemorySensitive))]
public sealed class StreamingMemoryTests : IDisposable
{
    private const int Records = 50_000;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_50_MB_JSONL_streams_with_a_small_managed_heap()
    {
        var path = _folder.File("big.jsonl");
        var padding = new string('x', 900);
        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (var i = 0; i < Records; i++)
            {
                var line = $"{{\"id\":\"r{i}\",\"instruction\":\"Summarise document {i} 文档\",\"input\":\"{padding}\",\"output\":\"Summary {i} ✅\"}}\n";
                stream.Write(Encoding.UTF8.GetBytes(line));
            }
        }

        var fileBytes = new FileInfo(path).Length;
        Assert.True(fileBytes > 48_000_000, $"the file has {fileBytes} bytes");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var source = DataSources.Jsonl(path, RecordSchema.Alpaca());
        var context = new DataStepContext(source.Id);
        long count = 0;
        long peak = 0;
        long characters = 0;
        await foreach (var record in source.ReadAsync(context))
        {
            characters += record.GetField("input")!.Length;
            if (++count % 500 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
        }

        Assert.Equal(Records, count);
        Assert.Equal(0, context.RejectedCount);
        Assert.Equal((long)Records * padding.Length, characters);
        Assert.True(peak < 100L * 1024 * 1024, $"the managed heap peaked at {peak / (1024 * 1024)} MB while reading a {fileBytes / (1024 * 1024)} MB file");
    }
}
