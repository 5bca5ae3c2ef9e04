namespace Aigc.Monitoring.Tests.Drift;

/// <summary>Seeded normal samples (Box–Muller).</summary>
internal static class Gaussian
{
    public static double[] Sample(Random random, int count, double mean, double standardDeviation)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>Lengths in tokens: rounded log-normal values, as response lengths tend to be (many ties).</summary>
    public static double[] Lengths(Random random, int count, double logMean)
    {
        var values = Sample(random, count, logMean, 0.5);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(Math.Exp(values[i]));
        }

        return values;
    }
}
