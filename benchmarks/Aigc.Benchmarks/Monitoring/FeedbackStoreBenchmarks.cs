using Aigc.Monitoring;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.Data.Sqlite;

namespace Aigc.Benchmarks.Monitoring;

/// <summary>
/// Feedback inserts into the SQLite store (WAL): 1,000 records per invocation, one operation per record, either
/// one <see cref="IFeedbackStore.AddAsync"/> each (sequential or 16 concurrent callers) or one
/// <see cref="IFeedbackStore.AddRangeAsync"/> transaction. PostgreSQL is not benchmarked here: it needs a server.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FeedbackStoreBenchmarks
{
    private const int Records = 1000;
    private string _directory = string.Empty;
    private SqliteFeedbackStore _store = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("aigc-feedback-bench-").FullName;
        _store = new SqliteFeedbackStore(Path.Combine(_directory, "feedback.db"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public async Task AddSequential()
    {
        foreach (var record in Batch())
        {
            await _store.AddAsync(record);
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task AddConcurrent()
    {
        var records = Batch();
        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (record, ct) => await _store.AddAsync(record, ct));
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public Task<int> AddRange() => _store.AddRangeAsync(Batch());

    private FeedbackRecord[] Batch()
    {
        var records = new FeedbackRecord[Records];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Records; i++)
        {
            var id = Interlocked.Increment(ref _next);
            records[i] = new FeedbackRecord
            {
                Id = "fb-" + id,
                TraceId = "trace-" + id,
                ModelName = "writer",
                ModelVersion = (id % 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Name = FeedbackNames.Rating,
                Value = FeedbackValue.Numeric(1 + (id % 5)),
                Prompt = "What is the capital of France?",
                Response = "Paris.",
                CreatedAt = now,
            };
        }

        return records;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
