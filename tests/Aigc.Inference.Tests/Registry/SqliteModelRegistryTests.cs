using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Aigc.Inference.Tests.Registry;

/// <summary>The contract suite on SQLite, plus what only SQLite promises: WAL, zero set-up, several processes on one file.</summary>
public sealed class SqliteModelRegistryTests : ModelRegistryContractTests
{
    private string DatabasePath => Files.PathOf("db", "nested", "registry.db");

    protected override Task<IModelRegistry> CreateRegistryAsync(ModelRegistryOptions options) =>
        Task.FromResult<IModelRegistry>(new SqliteModelRegistry(DatabasePath, ArtifactsDirectory, options));

    [Fact]
    public async Task Creates_the_database_and_schema_on_first_use_in_WAL_mode()
    {
        Assert.False(File.Exists(DatabasePath));

        Assert.Null(await Registry.GetModelAsync("writer"));

        Assert.True(File.Exists(DatabasePath));
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT value FROM registry_info WHERE key = 'schema_version'";
        Assert.Equal("1", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Two_processes_registering_at_once_get_distinct_versions_and_lose_nothing()
    {
        // Schema first, so both workers race on registrations rather than on creating the file.
        await Registry.CreateModelAsync("shared");
        var first = StartWorker("register", DatabasePath, ArtifactsDirectory, "shared", "4", "p1", Files.PathOf("p1"));
        var second = StartWorker("register", DatabasePath, ArtifactsDirectory, "shared", "4", "p2", Files.PathOf("p2"));

        await WaitForAsync(first);
        await WaitForAsync(second);

        var versions = (await Registry.SearchVersionsAsync(new ModelVersionQuery { Name = "shared" })).Items;
        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
        Assert.Equal(4, versions.Count(v => v.Tags["process"] == "p1"));
        Assert.Equal(4, versions.Count(v => v.Tags["process"] == "p2"));
        foreach (var version in versions)
        {
            var expected = RegistryWorkerProgram.Content(version.Tags["process"], int.Parse(version.Tags["index"]));
            await using var stream = await Registry.OpenArtifactAsync("shared", version.Version, "model.onnx");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(expected, copy.ToArray());
        }
    }

    [Fact]
    public async Task An_alias_moved_by_another_process_reaches_a_watcher_by_polling()
    {
        var file = Files.WriteFile("m.onnx", seed: 1);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var watcher = await OpenAsync(new ModelRegistryOptions { AliasPollInterval = TimeSpan.FromMilliseconds(100) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var changes = watcher.WatchAliasesAsync("writer", timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await changes.MoveNextAsync());
        Assert.True(changes.Current.IsSnapshot);

        await WaitForAsync(StartWorker("alias", DatabasePath, ArtifactsDirectory, "writer", "champion", "2"));

        Assert.True(await changes.MoveNextAsync());
        Assert.False(changes.Current.IsSnapshot);
        Assert.Equal(2, changes.Current.Version);
        Assert.Equal(1, changes.Current.PreviousVersion);
    }

    [Fact]
    public void Exposes_its_full_paths()
    {
        var registry = (SqliteModelRegistry)Registry;

        Assert.Equal(Path.GetFullPath(DatabasePath), registry.DatabasePath);
        Assert.Equal(Path.GetFullPath(ArtifactsDirectory), registry.ArtifactsDirectory);
    }

    private static Process StartWorker(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(RegistryWorkerProgram).Assembly.Location);
        start.ArgumentList.Add(RegistryWorkerProgram.Verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    private static async Task WaitForAsync(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"The worker failed with exit code {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
