using Aigc.Monitoring;
using Microsoft.Data.Sqlite;

namespace Aigc.Monitoring.Tests.Feedback;

public sealed class SqliteFeedbackStoreTests : FeedbackStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aigc-feedback-").FullName;
    private readonly SqliteFeedbackStore _store;

    public SqliteFeedbackStoreTests() => _store = new SqliteFeedbackStore(Path.Combine(_directory, "feedback.db"));

    protected override IFeedbackStore Store => _store;

    [Fact]
    public async Task The_database_is_in_wal_mode()
    {
        await _store.AddAsync(Feedback(NewModel(), "1", "x", FeedbackValue.Numeric(1), DateTimeOffset.UnixEpoch));
        await using var connection = new SqliteConnection("Data Source=" + _store.DatabasePath);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
