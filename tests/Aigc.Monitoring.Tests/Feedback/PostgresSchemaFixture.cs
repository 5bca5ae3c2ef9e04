using Npgsql;

namespace Aigc.Monitoring.Tests.Feedback;

/// <summary>
/// A PostgreSQL schema of its own for one test class, on the server named by the environment variable
/// <c>AIGC_TEST_POSTGRES</c>; dropped when the class's tests are done. Without the variable the tests fail and
/// say how to start a server.
/// </summary>
public sealed class PostgresSchemaFixture : IAsyncLifetime
{
    public const string Variable = "AIGC_TEST_POSTGRES";

    private NpgsqlDataSource? _dataSource;

    public string Schema { get; } = "aigc_test_" + Guid.NewGuid().ToString("N")[..16];

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL feedback-store tests need a server. Start one and point the variable at it, for example: " +
                "apt-get install -y postgresql && pg_ctlcluster 15 main start && " +
                "su postgres -c \"psql -c \\\"ALTER USER postgres PASSWORD 'postgres'\\\"\" && " +
                $"export {Variable}='Host=localhost;Username=postgres;Password=postgres;Database=postgres'");
        }

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
