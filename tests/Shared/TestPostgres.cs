using System.Diagnostics;

namespace Aigc.Tests;

/// <summary>
/// The PostgreSQL server the tests use: <c>AIGC_TEST_POSTGRES</c> when set (CI sets it), otherwise one started by
/// <c>eng/postgres.sh</c> (it installs PostgreSQL when missing and starts it on 127.0.0.1:5432), so a plain
/// <c>dotnet test</c> works on a fresh machine. When neither works the tests fail with the reason.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "AIGC_TEST_POSTGRES";

    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Started.Value;

    private static string Start()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "eng", "postgres.sh")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"{Variable} is not set and eng/postgres.sh was not found above {AppContext.BaseDirectory}. Start PostgreSQL and set {Variable}.");
        }

        var start = new ProcessStartInfo("bash", [Path.Combine(directory.FullName, "eng", "postgres.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.FullName,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException(
                $"{Variable} is not set and eng/postgres.sh failed (exit {process.ExitCode}): {error.GetAwaiter().GetResult()}. " +
                $"Start PostgreSQL yourself and set {Variable} (for example Host=127.0.0.1;Username=aigc;Password=aigc;Database=aigc_test).");
        }

        return lines[^1];
    }
}
