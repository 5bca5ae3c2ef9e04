using System.Reflection;

namespace Aigc.WebApi.Tests.Browser;

/// <summary>
/// Finds what the browser test needs — Node.js, Debian's Chromium and the npm folder with playwright-core — and fails
/// with the commands that install them when one is missing. The test does not install them itself: that needs root and
/// the package registries, which is the CI script's job (<c>.ci/run</c> installs all three, idempotently).
/// </summary>
internal static class BrowserPrerequisites
{
    private const string HowToInstall =
        "Install the browser test's tools (what .ci/run does): `apt-get install -y chromium` (Debian's Chromium at /usr/bin/chromium; "
        + "or set CHROMIUM_PATH), Node.js 20+ with npm, and `npm ci --prefix tests/Aigc.WebApi.Tests/browser` (playwright-core; it downloads no browser).";

    /// <summary>Gets the folder holding playground.test.mjs and its package.json.</summary>
    public static string Directory { get; } = typeof(BrowserPrerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BrowserTestDirectory").Value!;

    /// <summary>Gets the Chromium executable (CHROMIUM_PATH or /usr/bin/chromium).</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Returns the path of <c>node</c>, failing with install instructions when anything is missing.</summary>
    public static string Require()
    {
        var node = FindOnPath("node");
        var missing = new List<string>();
        if (node is null)
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

        if (missing.Count > 0)
        {
            Assert.Fail("The playground browser test cannot run: " + string.Join("; ", missing) + ". " + HowToInstall);
        }

        return node!;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
