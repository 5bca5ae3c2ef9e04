using System.Reflection;

namespace Aigc.WebApi.Tests.Browser;

/// <summary>
/// Finds what the browser test needs — Node.js, Debian's Chromium and the npm folder with playwright-core. When one is
/// missing it runs <c>eng/browser-tools.sh</c> once (the script <c>.ci/run</c> uses: apt-get for Chromium and Node.js,
/// <c>npm ci</c> for playwright-core, all idempotent), the way the PostgreSQL tests run <c>eng/postgres.sh</c>, so a
/// plain <c>dotnet test</c> on a fresh machine sets it up; when that cannot install them (no root, no registry) the
/// test fails with the script's output and the commands to run.
/// </summary>
internal static class BrowserPrerequisites
{
    private const string HowToInstall =
        "Install the browser test's tools (what eng/browser-tools.sh does): `apt-get install -y chromium` (Debian's Chromium at /usr/bin/chromium; "
        + "or set CHROMIUM_PATH), Node.js 20+ with npm, and `npm ci --prefix tests/Aigc.WebApi.Tests/browser` (playwright-core; it downloads no browser).";

    /// <summary>Gets the folder holding playground.test.mjs and its package.json.</summary>
    public static string Directory { get; } = typeof(BrowserPrerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BrowserTestDirectory").Value!;

    /// <summary>Gets the Chromium executable (CHROMIUM_PATH or /usr/bin/chromium).</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Returns the path of <c>node</c>, installing what is missing first and failing with instructions when that cannot be done.</summary>
    public static string Require()
    {
        lock (Gate)
        {
            if (Missing().Count > 0)
            {
                Install();
            }

            var missing = Missing();
            if (missing.Count > 0)
            {
                Assert.Fail("The playground browser test cannot run: " + string.Join("; ", missing) + ". " + HowToInstall
                    + (_installOutput is { Length: > 0 } output ? " eng/browser-tools.sh said: " + output : string.Empty));
            }

            return FindOnPath("node")!;
        }
    }

    private static readonly object Gate = new();
    private static string? _installOutput;

    private static List<string> Missing()
    {
        var missing = new List<string>();
        if (FindOnPath("node") is null)
        {
            missing.Add("node (Node.js) is not on PATH");
        }

        if (!File.Exists(Chromium))
        {
            missing.Add($"Chromium is not at {Chromium}");
        }

        if (!File.Exists(Path.Combine(Directory, "node_modules", "playwright-core", "package.json")))
        {
            missing.Add($"playwright-core is not installed in {Directory}/node_modules");
        }

        return missing;
    }

    private static void Install()
    {
        if (_installOutput is not null)
        {
            return;
        }

        var root = new DirectoryInfo(Directory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "eng", "browser-tools.sh")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            _installOutput = "eng/browser-tools.sh was not found above " + Directory;
            return;
        }

        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(root.FullName, "eng", "browser-tools.sh")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = root.FullName,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _installOutput = (stdout.Result + stderr).Trim();
        if (_installOutput.Length > 2000)
        {
            _installOutput = _installOutput[^2000..];
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
