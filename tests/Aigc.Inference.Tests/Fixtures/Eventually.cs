using System.Diagnostics;

namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Waits for a condition that another thread makes true; fails (never passes) when it does not happen within a generous bound.</summary>
internal static class Eventually
{
    public static void True(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        var spin = new SpinWait();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }
    }
}
