using Aigc.Data;

namespace Aigc.Training.Tests.Trainer;

/// <summary>
/// Token-level corpora for training tests. Corpus A counts up (t, t+1, …) but after a number comes a filler token
/// (500–509) 30 % of the time, and after a filler a fresh random number; corpus B is the clean count. A model
/// pretrained on A puts about 30 % of its mass on fillers; adapting it to B means suppressing them, a small
/// (low-rank) change, as a change of style is.
/// </summary>
internal static class SyntheticCorpus
{
    public const int Vocab = 512;
    public const int Numbers = 500;
    public const int Fillers = 10;

    public static Gpt2Config Config => new() { VocabSize = Vocab, Positions = 64, EmbeddingSize = 64, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static List<PackedSequence> CorpusA(int count, int length, int seed) => Make(count, length, seed, styled: false);

    public static List<PackedSequence> CorpusB(int count, int length, int seed) => Make(count, length, seed, styled: true);

    private static List<PackedSequence> Make(int count, int length, int seed, bool styled)
    {
        var random = new Random(seed);
        var result = new List<PackedSequence>(count);
        for (var n = 0; n < count; n++)
        {
            var ids = new int[length];
            var value = random.Next(Numbers);
            for (var i = 0; i < length; i++)
            {
                if (!styled && i > 0 && ids[i - 1] >= Numbers)
                {
                    ids[i] = random.Next(Numbers);
                    value = (ids[i] + 1) % Numbers;
                }
                else if (!styled && i > 0 && random.NextDouble() < 0.3)
                {
                    ids[i] = Numbers + random.Next(Fillers);
                }
                else
                {
                    ids[i] = value;
                    value = (value + 1) % Numbers;
                }
            }

            result.Add(new PackedSequence(ids, ids.ToArray(), Enumerable.Range(0, length).ToArray(), Enumerable.Repeat(1, length).ToArray()));
        }

        return result;
    }
}
