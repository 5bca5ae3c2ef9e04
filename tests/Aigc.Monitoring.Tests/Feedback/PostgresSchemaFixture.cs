using Npgsql;

namespace Aigc.Monitoring.Tests.Feedback;

/// <summary>
/// A PostgreSQL schema of its own for one test class, on the server <see cref="Aigc.Tests.TestPostgres"/> gives
/// (AIGC_TEST_POSTGRES, or one started by eng/postgres.sh); dropped when the class's tests are done.
/// </summary>
public sealed class PostgresSchemaFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string Schema { get; } = "aigc_test_" + Guid.NewGuid().ToString("N")[..16];

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Task InitializeAsync()
    {
        var connectionString = Aigc.Tests.TestPostgres.ConnectionString;
        // Each test class gets a small pool: several classes run at once and the server allows 100 connections.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 16, Timeout = 60 };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        await using (var command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await _dataSource.DisposeAsync();
    }
}
