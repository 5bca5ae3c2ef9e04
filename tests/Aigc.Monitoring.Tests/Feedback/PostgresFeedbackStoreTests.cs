using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Feedback;

/// <summary>The store contract on PostgreSQL (needs <c>AIGC_TEST_POSTGRES</c>), in a schema of its own.</summary>
public sealed class PostgresFeedbackStoreTests(PostgresSchemaFixture fixture) : FeedbackStoreContract, IClassFixture<PostgresSchemaFixture>
{
    private readonly PostgresFeedbackStore _store = new(fixture.DataSource, fixture.Schema, ownsDataSource: false);

    protected override IFeedbackStore Store => _store;

    [Fact]
    public void Schema_names_that_are_not_plain_identifiers_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresFeedbackStore(fixture.DataSource, "public; drop table x", ownsDataSource: false));
        Assert.Contains("not a plain lowercase identifier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_stores_on_one_schema_create_the_table_once_and_share_it()
    {
        var other = new PostgresFeedbackStore(fixture.DataSource, fixture.Schema, ownsDataSource: false);
        await Task.WhenAll(_store.EnsureCreatedAsync(), other.EnsureCreatedAsync());
        var record = Feedback(NewModel(), "1", "x", FeedbackValue.Numeric(1), DateTimeOffset.UnixEpoch);

        Assert.True(await _store.AddAsync(record));
        Assert.False(await other.AddAsync(record));
    }
}
