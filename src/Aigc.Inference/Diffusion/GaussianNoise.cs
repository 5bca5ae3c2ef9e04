namespace Aigc.Inference;

/// <summary>
/// Standard normal draws from a seeded generator (<see cref="Random(int)"/>, whose sequence for a seed is stable
/// across .NET versions) by the Box–Muller transform. Each request owns one, so its images depend only on its seed.
/// </summary>
internal sealed class GaussianNoise
{
    private readonly Random _random;
    private double _spare;
    private bool _hasSpare;

    public GaussianNoise(int seed) => _random = new Random(seed);

    /// <summary>Returns the next standard normal draw.</summary>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        // 1 − U lies in (0, 1], so the logarithm is finite.
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - _random.NextDouble()));
        var angle = 2.0 * Math.PI * _random.NextDouble();
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal draws.</summary>
    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)Next();
        }
    }
}
