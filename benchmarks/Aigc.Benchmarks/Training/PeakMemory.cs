using System.Globalization;

namespace Aigc.Benchmarks.Training;

/// <summary>
/// The peak resident size of a benchmark process while it measured (Linux): after set-up the kernel's high-water mark
/// is reset (<c>/proc/self/clear_refs</c> ← 5) and the resident size noted; at clean-up <c>VmHWM</c> is read; both are
/// written to a file the <see cref="TrainingStepColumns"/> read in the host process.
/// </summary>
internal sealed class PeakMemory
{
    private readonly string _benchmark;
    private readonly long _baseline;

    private PeakMemory(string benchmark, long baseline)
    {
        _benchmark = benchmark;
        _baseline = baseline;
    }

    public static string FileFor(string benchmark) =>
        Path.Combine(Path.GetTempPath(), "aigc-benchmarks", $"{nameof(TrainingStepBenchmarks)}.{benchmark}.memory.txt");

    public static PeakMemory Start(string benchmark)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FileFor(benchmark))!);
        File.Delete(FileFor(benchmark));
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An older kernel or another OS: the peak is then the process's since it started.
        }

        return new PeakMemory(benchmark, Read("VmRSS"));
    }

    public void Stop()
    {
        var peak = Read("VmHWM");
        if (peak <= 0)
        {
            return;
        }

        File.WriteAllText(FileFor(_benchmark), string.Create(CultureInfo.InvariantCulture, $"{peak} {_baseline}"));
    }

    /// <summary>Reads the peak and the baseline (bytes) a benchmark process wrote, or nothing.</summary>
    public static (long Peak, long Baseline)? Load(string benchmark)
    {
        var path = FileFor(benchmark);
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>A <c>/proc/self/status</c> field in bytes, or 0 where there is none.</summary>
    private static long Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
