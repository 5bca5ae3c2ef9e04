using Aigc.Inference.Tests.Registry;

namespace Aigc.Inference.Tests.Routing;

/// <summary>A SQLite registry in a temporary folder, with helpers that register marked model versions and build routers over them.</summary>
public abstract class RouterTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected RegistryTestFiles Files { get; } = new();

    protected SqliteModelRegistry Registry { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Registry = new SqliteModelRegistry(Files.PathOf("registry.db"), Files.PathOf("artifacts"));
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await Registry.DisposeAsync();
        Files.Dispose();
    }

    internal static BatchedModelLoader Loader() =>
        new(new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1 }, new BatchingOptions { MaxBatchSize = 16, MaxQueueSize = 4096 });

    /// <summary>Registers a version of <paramref name="name"/> whose answers carry <paramref name="mark"/>.</summary>
    protected Task<ModelVersion> RegisterMarkedAsync(string name, float mark) => RegisterBytesAsync(name, VersionedGraphs.Marked(mark, seed: (int)(mark * 100)));

    protected async Task<ModelVersion> RegisterBytesAsync(string name, byte[] bytes)
    {
        var file = Files.PathOf("sources", Guid.NewGuid().ToString("N"), "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, bytes);
        return await Registry.RegisterVersionAsync(name, file);
    }

    /// <summary>Overwrites a registered version's stored file (as a disk fault or an attacker would), so its hash no longer matches.</summary>
    protected void Tamper(ModelVersion version)
    {
        var blob = Path.Combine(Registry.ArtifactsDirectory, "sha256", version.Artifacts[0].Sha256[..2], version.Artifacts[0].Sha256[2..]);
        File.SetAttributes(blob, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var stream = new FileStream(blob, FileMode.Open, FileAccess.Write);
        stream.Position = stream.Length / 2;
        stream.WriteByte(0x5a);
        stream.WriteByte(0xa5);
    }

    protected ModelRouter<TModel> Own<TModel>(ModelRouter<TModel> router)
        where TModel : class
    {
        _owned.Add(router);
        return router;
    }

    protected static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(5);
        }
    }
}
