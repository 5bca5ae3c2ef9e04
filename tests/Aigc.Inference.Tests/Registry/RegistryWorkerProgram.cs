namespace Aigc.Inference.Tests.Registry;

/// <summary>
/// The test assembly's entry point: nothing when the test host loads it, and a registry worker when a test starts
/// it as a second process (<c>dotnet exec Aigc.Inference.Tests.dll registry-worker …</c>) to share a SQLite registry.
/// </summary>
public static class RegistryWorkerProgram
{
    public const string Verb = "registry-worker";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2 || args[0] != Verb)
        {
            return 0;
        }

        try
        {
            var (command, database, artifacts) = (args[1], args[2], args[3]);
            await using var registry = new SqliteModelRegistry(database, artifacts);
            switch (command)
            {
                case "register":
                    {
                        // register <db> <artifacts> <model> <count> <process-tag> <scratch-folder>
                        var (model, count, process, scratch) = (args[4], int.Parse(args[5]), args[6], args[7]);
                        Directory.CreateDirectory(scratch);
                        await Parallel.ForAsync(0, count, async (index, cancellationToken) =>
                        {
                            var file = Path.Combine(scratch, $"model{index}.onnx");
                            await File.WriteAllBytesAsync(file, Content(process, index), cancellationToken);
                            await registry.RegisterVersionAsync(new ModelVersionRegistration
                            {
                                Name = model,
                                Files = [new ModelArtifactSource("model.onnx", file)],
                                Tags = new Dictionary<string, string> { ["process"] = process, ["index"] = index.ToString() },
                            }, cancellationToken);
                        });
                        return 0;
                    }

                case "alias":
                    // alias <db> <artifacts> <model> <alias> <version>
                    await registry.SetAliasAsync(args[4], args[5], int.Parse(args[6]));
                    return 0;

                default:
                    await Console.Error.WriteLineAsync("Unknown worker command " + command);
                    return 2;
            }
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync(exception.ToString());
            return 1;
        }
    }

    /// <summary>The bytes worker <paramref name="process"/> registers as its <paramref name="index"/>-th model (seeded without string hashes, which differ per process).</summary>
    public static byte[] Content(string process, int index) => RegistryTestFiles.Bytes((process[^1] * 1000) + index, 32 * 1024);
}
