namespace Aigc.Monitoring;

/// <summary>Argument checks and sorting for the drift statistics.</summary>
internal static class Samples
{
    public static void Check(ReadOnlySpan<double> sample, string parameterName)
    {
        if (sample.IsEmpty)
        {
            throw new ArgumentException("The sample is empty; drift statistics need at least one value on each side.", parameterName);
        }

        foreach (var value in sample)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("The sample contains NaN; drop missing values before comparing distributions.", parameterName);
            }
        }
    }

    public static double[] SortedCopy(ReadOnlySpan<double> sample, string parameterName)
    {
        Check(sample, parameterName);
        var copy = sample.ToArray();
        Array.Sort(copy);
        return copy;
    }
}
