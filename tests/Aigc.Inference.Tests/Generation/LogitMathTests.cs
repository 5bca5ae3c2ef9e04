using System.Numerics.Tensors;

namespace Aigc.Inference.Tests.Generation;

public sealed class LogitMathTests
{
    public static TheoryData<int> Lengths => [1, 7, 31, 32, 33, 64, 100, 1000, 50257];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void IndexOfMax_agrees_with_the_library_on_random_rows_of_any_length(int length)
    {
        var random = new Random(length);
        var values = new float[length + 3];
        for (var trial = 0; trial < 50; trial++)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() * 20) - 10);
            }

            // Every offset, so rows that start anywhere in a buffer (row r of a batch's logits) are covered.
            var row = values.AsSpan(trial % 4, length);
            Assert.Equal(TensorPrimitives.IndexOfMax<float>(row), LogitMath.IndexOfMax(row));
        }
    }

    [Fact]
    public void IndexOfMax_returns_the_first_of_equal_maxima_wherever_they_fall()
    {
        var values = new float[1000];
        foreach (var (first, second) in new[] { (0, 999), (5, 6), (31, 32), (968, 999), (500, 501), (998, 999) })
        {
            Array.Fill(values, -3f);
            values[first] = 7f;
            values[second] = 7f;
            Assert.Equal(first, LogitMath.IndexOfMax(values));
        }
    }

    [Fact]
    public void IndexOfMax_keeps_the_library_rules_for_NaN_signed_zero_and_negative_infinity()
    {
        var nan = Enumerable.Range(0, 1000).Select(i => i == 700 ? float.NaN : (float)i).ToArray();
        Assert.Equal(700, LogitMath.IndexOfMax(nan)); // the first NaN, as TensorPrimitives.IndexOfMax

        var zeros = Enumerable.Range(0, 64).Select(i => i switch { 5 => -0f, 9 => 0f, _ => -1f }).ToArray();
        Assert.Equal(TensorPrimitives.IndexOfMax<float>(zeros), LogitMath.IndexOfMax(zeros));
        Assert.Equal(9, LogitMath.IndexOfMax(zeros)); // +0 is larger than −0

        var banned = Enumerable.Repeat(float.NegativeInfinity, 77).ToArray();
        Assert.Equal(TensorPrimitives.IndexOfMax<float>(banned), LogitMath.IndexOfMax(banned));
        banned[60] = -1e30f;
        Assert.Equal(60, LogitMath.IndexOfMax(banned));
    }

    [Fact]
    public void LogSumExp_matches_a_double_precision_reference_and_handles_all_banned()
    {
        var random = new Random(3);
        var logits = Enumerable.Range(0, 50257).Select(_ => (float)((random.NextDouble() * 30) - 10)).ToArray();
        var max = logits.Max();
        var reference = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
        var work = new float[logits.Length];
        Assert.Equal(reference, LogitMath.LogSumExp(logits, work), 4);
        Assert.Equal(double.NegativeInfinity, LogitMath.LogSumExp(Enumerable.Repeat(float.NegativeInfinity, 40).ToArray(), work));
    }

    [Fact]
    public void ScaledSoftmaxNumerators_are_exp_of_the_scaled_values_less_their_maximum()
    {
        float[] values = [1f, 3f, float.NegativeInfinity, 2f];
        var total = LogitMath.ScaledSoftmaxNumerators(values, 0.5f);
        double[] expected = [Math.Exp(-1), 1, 0, Math.Exp(-0.5)];
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected[i], values[i], 5);
        }

        Assert.Equal(expected.Sum(), total, 5);
        Assert.True(double.IsNaN(LogitMath.ScaledSoftmaxNumerators([float.NegativeInfinity, float.NegativeInfinity], 1f)));
    }
}
