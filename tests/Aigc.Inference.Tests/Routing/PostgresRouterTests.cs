using System.Collections.Concurrent;
using System.Diagnostics;
using Aigc.Inference.Tests.Registry;
using Npgsql;

namespace Aigc.Inference.Tests.Routing;

/// <summary>Two hosts (two routers, each with its own registry client) sharing one PostgreSQL registry and artifact root.</summary>
public sealed class PostgresRouterTests : IAsyncLifetime
{
    private readonly string _schema = "aigc_router_" + Guid.NewGuid().ToString("N")[..12];
    private readonly RegistryTestFiles _files = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(Aigc.Tests.TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Two_hosts_sharing_a_registry_both_switch_within_one_second_of_an_alias_move()
    {
        // Polling once an hour: only NOTIFY can bring the move in time.
        var admin = Open(TimeSpan.FromHours(1));
        foreach (var mark in new[] { 1f, 2f })
        {
            var file = _files.PathOf("src" + mark, "model.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, VersionedGraphs.Marked(mark, seed: (int)mark));
            await admin.RegisterVersionAsync("pg-writer", file);
        }

        await admin.SetAliasAsync("pg-writer", "champion", 1);
        var switched = new ConcurrentDictionary<string, TimeSpan>();
        var clock = new Stopwatch();
        var hosts = new[] { "host-a", "host-b" }.Select(host =>
        {
            var router = new ModelRouter<BatchedModel>(Open(TimeSpan.FromHours(1)), "pg-writer", RouterTestBase.Loader());
            _owned.Add(router);
            router.Changed += (_, e) =>
            {
                if (e.Kind == ModelRouterEventKind.Switched && e.Version == 2)
                {
                    switched[host] = clock.Elapsed;
                }
            };
            return router;
        }).ToArray();
        foreach (var host in hosts)
        {
            Assert.Equal(1, (await host.InferAsync(VersionedGraphs.Zeros())).Version.Version);
        }

        clock.Start();
        await admin.SetAliasAsync("pg-writer", "champion", 2);
        while (switched.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        Assert.True(switched.Count == 2, $"Only {string.Join(", ", switched.Keys)} switched within 5 s.");
        Assert.All(switched.Values, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(1), $"A host switched after {elapsed.TotalMilliseconds:F0} ms."));
        foreach (var host in hosts)
        {
            var result = await host.InferAsync(VersionedGraphs.Zeros());
            Assert.Equal("models:/pg-writer/2", result.VersionUri.ToString());
            Assert.Equal(2f, VersionedGraphs.MarkOf(result.Value));
        }
    }

    private PostgresModelRegistry Open(TimeSpan pollInterval)
    {
        var registry = new PostgresModelRegistry(
            Aigc.Tests.TestPostgres.ConnectionString,
            _files.PathOf("artifacts"),
            new ModelRegistryOptions { Schema = _schema, AliasPollInterval = pollInterval });
        _owned.Add(registry);
        return registry;
    }
}
