using System.Diagnostics;
using Npgsql;

namespace Aigc.Inference.Tests.Registry;

/// <summary>
/// The contract suite on PostgreSQL, plus LISTEN/NOTIFY across registry instances. Each test uses its own schema,
/// dropped afterwards. The server comes from <see cref="Aigc.Tests.TestPostgres"/> (AIGC_TEST_POSTGRES, or one
/// started by eng/postgres.sh); when none can be had every test here fails, saying why.
/// </summary>
public sealed class PostgresModelRegistryTests : ModelRegistryContractTests
{
    public const string Variable = "AIGC_TEST_POSTGRES";

    private readonly string _schema = "aigc_test_" + Guid.NewGuid().ToString("N")[..12];

    public static string ConnectionString => Aigc.Tests.TestPostgres.ConnectionString;

    protected override Task<IModelRegistry> CreateRegistryAsync(ModelRegistryOptions options)
    {
        options.Schema = _schema;
        return Task.FromResult<IModelRegistry>(new PostgresModelRegistry(ConnectionString, ArtifactsDirectory, options));
    }

    protected override async Task DeleteStoreAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task An_alias_move_reaches_a_second_registry_within_one_second_through_notify()
    {
        var file = Files.WriteFile("m.onnx", seed: 1);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.SetAliasAsync("writer", "champion", 1);

        // Polling every hour: only a notification can bring the change in time.
        var other = await OpenAsync(new ModelRegistryOptions { AliasPollInterval = TimeSpan.FromHours(1) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = other.WatchAliasesAsync("writer", timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(1, changes.Current.Version);

        var clock = Stopwatch.StartNew();
        await Registry.SetAliasAsync("writer", "champion", 2);
        var next = changes.MoveNextAsync().AsTask();
        await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(1)));
        clock.Stop();

        Assert.True(next.IsCompletedSuccessfully, $"The second registry did not see the alias move within 1 s (waited {clock.ElapsedMilliseconds} ms).");
        Assert.True(await next);
        Assert.Equal(2, changes.Current.Version);
        Assert.Equal(1, changes.Current.PreviousVersion);
        Assert.Equal(2, (await other.ResolveAsync("models:/writer@champion")).Version);
    }

    [Fact]
    public async Task Watchers_catch_up_after_the_listening_connection_is_killed()
    {
        var file = Files.WriteFile("m.onnx", seed: 2);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var other = (PostgresModelRegistry)await OpenAsync(new ModelRegistryOptions { AliasPollInterval = TimeSpan.FromMilliseconds(200) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = other.WatchAliasesAsync("writer", timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await changes.MoveNextAsync());

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = @listen", connection);
            kill.Parameters.AddWithValue("listen", $"LISTEN \"{other.NotificationChannel}\"");
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        await Registry.SetAliasAsync("writer", "champion", 2);
        await Registry.SetAliasAsync("writer", "challenger", 1);

        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(("champion", (int?)2), (changes.Current.Alias, changes.Current.Version));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(("challenger", (int?)1), (changes.Current.Alias, changes.Current.Version));
    }

    [Fact]
    public void Names_its_schema_and_channel()
    {
        var registry = (PostgresModelRegistry)Registry;

        Assert.Equal(_schema, registry.Schema);
        Assert.Equal(_schema + "_alias_changes", registry.NotificationChannel);
    }
}
