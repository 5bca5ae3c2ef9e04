using System.Numerics;
using CsCheck;

namespace Aigc.Data.Tests.Dedup;

public sealed class MinHasherTests
{
    [Fact]
    public void Permutation_arithmetic_is_exact_modulo_the_Mersenne_prime()
    {
        var below = Gen.ULong[0, MinHasher.Prime - 1];
        Gen.Select(below, below, below).Sample((a, x, b) =>
        {
            var expected = (ulong)(((BigInteger)a * x + b) % MinHasher.Prime);
            Assert.Equal(expected, MinHasher.MultiplyAddMod(a, x, b));
        });
        Assert.Equal(MinHasher.Prime - 1, MinHasher.MultiplyAddMod(MinHasher.Prime - 1, 1, 0));
        Assert.Equal(0UL, MinHasher.MultiplyAddMod(MinHasher.Prime - 1, 1, 1));
    }

    [Fact]
    public void Signature_agreement_estimates_the_Jaccard_similarity()
    {
        var corpus = SyntheticCorpus.Create(seed: 11, families: 30, nearPerFamily: 2, farPerFamily: 2, unrelated: 0);
        var hasher = new MinHasher(256, 5, seed: 1);
        var signatures = corpus.Texts.Select(t =>
        {
            var signature = new ulong[256];
            hasher.Compute(t, signature);
            return signature;
        }).ToList();

        var errors = new List<double>();
        foreach (var ((i, j), similarity) in corpus.Similarities)
        {
            var equal = 0;
            for (var k = 0; k < 256; k++)
            {
                equal += signatures[i][k] == signatures[j][k] ? 1 : 0;
            }

            errors.Add(Math.Abs(equal / 256.0 - similarity));
        }

        Assert.True(errors.Count > 100);
        Assert.True(errors.Average() < 0.03, $"Mean absolute error {errors.Average():F3}.");
        Assert.True(errors.Max() < 0.15, $"Largest error {errors.Max():F3}.");
    }

    [Fact]
    public void Words_are_normalised_before_hashing()
    {
        var hasher = new MinHasher(32, 2, seed: 3);
        ulong[] Sign(string text)
        {
            var signature = new ulong[32];
            hasher.Compute(text, signature);
            return signature;
        }

        Assert.Equal(Sign("Ｆｕｌｌ width; TEXT — here"), Sign("full width text here"));
        Assert.Equal(Sign("naïve café"), Sign("NAI\u0308VE CAFE\u0301"));
        Assert.NotEqual(Sign("full width text here"), Sign("full width text there"));
        Assert.Equal(0, hasher.Compute("  ,;!  ", new ulong[32]));
        Assert.Equal(1, hasher.Compute("one", new ulong[32]));
        Assert.Equal(3, hasher.Compute("one two three four", new ulong[32]));
        Assert.Equal(4, hasher.Compute("日本語です", new ulong[32]));
    }

    [Fact]
    public void Low_bit_estimate_is_corrected_for_chance_agreement()
    {
        var index = new MinHashLshIndex(bands: 64, rows: 4, verificationThreshold: 0.5);
        var random = new Random(5);
        var first = Enumerable.Range(0, 256).Select(_ => (ulong)random.NextInt64()).ToArray();
        var unrelated = Enumerable.Range(0, 256).Select(_ => (ulong)random.NextInt64()).ToArray();
        var half = first.Select((v, k) => k % 2 == 0 ? v : (ulong)random.NextInt64()).ToArray();
        index.Add(first, hasShingles: true);
        index.Add(unrelated, hasShingles: true);
        index.Add(half, hasShingles: true);
        index.Add(first, hasShingles: true);

        Assert.InRange(index.EstimateJaccard(0, 1), -0.02, 0.03);
        Assert.InRange(index.EstimateJaccard(0, 2), 0.47, 0.53);
        Assert.Equal(1.0, index.EstimateJaccard(0, 3), 6);
        Assert.Equal(0, index.Find(3));
        Assert.Equal(1, index.Find(1));
    }
}
