using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Feedback;

/// <summary>
/// The behaviour every <see cref="IFeedbackStore"/> must have; run against SQLite and PostgreSQL. Each test uses
/// its own model name, so tests sharing one database do not see each other's records.
/// </summary>
public abstract class FeedbackStoreContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IFeedbackStore Store { get; }

    [Fact]
    public async Task Records_round_trip_with_every_field()
    {
        var model = NewModel();
        var time = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        var record = new FeedbackRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            TraceId = "trace-1",
            ModelName = model,
            ModelVersion = "3",
            Name = FeedbackNames.Thumbs,
            Value = FeedbackValue.Boolean(false),
            Comment = "wrong capital 😀",
            Correction = "Paris",
            Prompt = "Capital of France?",
            Response = "Lyon",
            UserKeyHash = new UserKeyHasher("0123456789abcdef").Hash("alice@example.com"),
            CreatedAt = time,
            Source = FeedbackSource.Annotation,
        };

        Assert.True(await Store.AddAsync(record));
        var stored = await Store.GetAsync(record.Id);

        // Times are kept to the microsecond, in UTC.
        Assert.Equal(record with { CreatedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560) }, stored);
        Assert.Null(await Store.GetAsync("missing-" + record.Id));
    }

    [Fact]
    public async Task Values_of_each_kind_round_trip()
    {
        var model = NewModel();
        FeedbackValue[] values = [FeedbackValue.Numeric(4.5), FeedbackValue.Categorical("off-topic"), FeedbackValue.Boolean(true)];
        foreach (var value in values)
        {
            var record = Feedback(model, "1", "kind", value, T0);
            await Store.AddAsync(record);
            Assert.Equal(value, (await Store.GetAsync(record.Id))!.Value);
        }
    }

    [Fact]
    public async Task A_repeated_id_is_stored_once_and_the_first_record_wins()
    {
        var model = NewModel();
        var first = Feedback(model, "1", FeedbackNames.Rating, FeedbackValue.Numeric(5), T0);

        Assert.True(await Store.AddAsync(first));
        Assert.False(await Store.AddAsync(first with { Value = FeedbackValue.Numeric(1) }));
        Assert.Equal(5, (await Store.GetAsync(first.Id))!.Value.Number);
        Assert.Equal(1, await Store.AddRangeAsync([first, Feedback(model, "1", FeedbackNames.Rating, FeedbackValue.Numeric(2), T0)]));
    }

    [Fact]
    public async Task Ten_thousand_concurrent_inserts_with_20_percent_duplicates_leave_the_unique_ones()
    {
        var model = NewModel();
        var random = new Random(42);
        var unique = Enumerable.Range(0, 8000)
            .Select(i => Feedback(model, "v" + (i % 3), FeedbackNames.Rating, FeedbackValue.Numeric(1 + (i % 5)), T0.AddSeconds(i)))
            .ToArray();
        var all = unique.Concat(Enumerable.Range(0, 2000).Select(_ => unique[random.Next(unique.Length)] with { Comment = "retry" })).ToArray();
        random.Shuffle(all);

        var results = await Task.WhenAll(all.Select(record => Task.Run(() => Store.AddAsync(record))));

        Assert.Equal(8000, results.Count(static added => added));
        var stored = await Store.ReadAllAsync(new FeedbackQuery { ModelName = model, PageSize = 5000 }).ToListAsync();
        Assert.Equal(8000, stored.Count);
        Assert.Equal(unique.Select(static r => r.Id).Order(StringComparer.Ordinal), stored.Select(static r => r.Id).Order(StringComparer.Ordinal));
        var aggregate = await Store.AggregateAsync(new FeedbackAggregateQuery { ModelName = model });
        Assert.Equal(8000, aggregate.Sum(static a => a.Count));
    }

    [Fact]
    public async Task Queries_filter_by_model_version_and_time_range_and_page_in_time_order()
    {
        var model = NewModel();
        var records = Enumerable.Range(0, 250)
            .Select(i => Feedback(model, i % 2 == 0 ? "1" : "2", FeedbackNames.Rating, FeedbackValue.Numeric(3), T0.AddMinutes(i / 5)))
            .ToList();
        Assert.Equal(250, await Store.AddRangeAsync(records));

        var from = T0.AddMinutes(10);
        var to = T0.AddMinutes(40);
        var expected = records
            .Where(r => r.ModelVersion == "1" && r.CreatedAt >= from && r.CreatedAt < to)
            .OrderBy(static r => r.CreatedAt).ThenBy(static r => r.Id, StringComparer.Ordinal)
            .Select(static r => r.Id)
            .ToList();
        var query = new FeedbackQuery { ModelName = model, ModelVersion = "1", From = from, To = to, PageSize = 16 };
        var pages = 0;
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.QueryAsync(query with { ContinuationToken = token });
            Assert.InRange(page.Items.Count, 1, 16);
            seen.AddRange(page.Items.Select(static r => r.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(75, expected.Count);
        Assert.Equal(expected, seen);
        Assert.Equal(5, pages);
        Assert.Empty((await Store.QueryAsync(new FeedbackQuery { ModelName = model, ModelVersion = "3" })).Items);
        Assert.Equal(125, await Store.ReadAllAsync(new FeedbackQuery { ModelName = model, ModelVersion = "2", Name = FeedbackNames.Rating, Source = FeedbackSource.Api }).CountAsync());
    }

    [Fact]
    public async Task Aggregates_give_mean_rating_and_thumbs_up_rate_per_version()
    {
        var model = NewModel();
        await Store.AddRangeAsync(
        [
            Feedback(model, "1", FeedbackNames.Rating, FeedbackValue.Numeric(5), T0),
            Feedback(model, "1", FeedbackNames.Rating, FeedbackValue.Numeric(4), T0),
            Feedback(model, "1", FeedbackNames.Rating, FeedbackValue.Numeric(3), T0),
            Feedback(model, "1", FeedbackNames.Thumbs, FeedbackValue.Boolean(true), T0),
            Feedback(model, "1", FeedbackNames.Thumbs, FeedbackValue.Boolean(true), T0),
            Feedback(model, "1", FeedbackNames.Thumbs, FeedbackValue.Boolean(false), T0),
            Feedback(model, "1", "tone", FeedbackValue.Categorical("rude"), T0),
            Feedback(model, "2", FeedbackNames.Thumbs, FeedbackValue.Boolean(false), T0),
            Feedback(model, "2", FeedbackNames.Rating, FeedbackValue.Numeric(1), T0.AddDays(2)),
        ]);

        var all = await Store.AggregateAsync(new FeedbackAggregateQuery { ModelName = model });
        Assert.Equal(
            [new FeedbackAggregate(model, "1", 7, 3, 4.0, 3, 2), new FeedbackAggregate(model, "2", 2, 1, 1.0, 1, 0)],
            all);
        Assert.Equal(2.0 / 3, all[0].ThumbsUpRate!.Value, 12);
        Assert.Equal(0.0, all[1].ThumbsUpRate);

        var firstDay = await Store.AggregateAsync(new FeedbackAggregateQuery { ModelName = model, ModelVersion = "2", To = T0.AddDays(1) });
        Assert.Equal([new FeedbackAggregate(model, "2", 1, 0, null, 1, 0)], firstDay);
        Assert.Null(firstDay[0].MeanRating);
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_the_reason()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync(new FeedbackQuery { ContinuationToken = "not a token" }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryAsync(new FeedbackQuery { PageSize = 0 }));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Feedback(NewModel(), "1", "x", FeedbackValue.Numeric(1), T0) with { Id = new string('a', 201) }));
        Assert.Contains("at most 200 characters", error.Message, StringComparison.Ordinal);
    }

    protected static string NewModel() => "model-" + Guid.NewGuid().ToString("N")[..12];

    internal static FeedbackRecord Feedback(string model, string version, string name, FeedbackValue value, DateTimeOffset time) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        ModelName = model,
        ModelVersion = version,
        Name = name,
        Value = value,
        CreatedAt = time,
    };
}
