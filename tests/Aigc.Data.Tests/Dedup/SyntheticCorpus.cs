namespace Aigc.Data.Tests.Dedup;

/// <summary>
/// A synthetic corpus with known overlaps: families of a base document (100–200 random words from a vocabulary)
/// and variants made by substituting words, plus unrelated documents. The true Jaccard similarity of every pair
/// over word 5-gram shingle sets is computed exactly (pairs that share no shingle have similarity 0).
/// </summary>
internal sealed class SyntheticCorpus
{
    private SyntheticCorpus(List<string> texts, List<int> families, Dictionary<(int, int), double> similarities)
    {
        Texts = texts;
        Families = families;
        Similarities = similarities;
    }

    public List<string> Texts { get; }

    /// <summary>Gets each document's family (−1 for an unrelated document).</summary>
    public List<int> Families { get; }

    /// <summary>Gets the Jaccard similarity of each pair (i &lt; j) that shares at least one shingle.</summary>
    public Dictionary<(int, int), double> Similarities { get; }

    public int Count => Texts.Count;

    public double Similarity(int i, int j) => Similarities.GetValueOrDefault(i < j ? (i, j) : (j, i));

    public static SyntheticCorpus Create(int seed, int families, int nearPerFamily, int farPerFamily, int unrelated)
    {
        var random = new Random(seed);
        var vocabulary = new string[5000];
        for (var i = 0; i < vocabulary.Length; i++)
        {
            var length = random.Next(3, 10);
            vocabulary[i] = string.Create(length, random, static (span, r) =>
            {
                for (var k = 0; k < span.Length; k++)
                {
                    span[k] = (char)('a' + r.Next(26));
                }
            });
        }

        var texts = new List<string>();
        var familyOf = new List<int>();
        string[] RandomWords(int count)
        {
            var words = new string[count];
            for (var k = 0; k < count; k++)
            {
                words[k] = vocabulary[random.Next(vocabulary.Length)];
            }

            return words;
        }

        string[] Variant(string[] words, int substitutions)
        {
            var copy = (string[])words.Clone();
            foreach (var position in Enumerable.Range(0, copy.Length).OrderBy(_ => random.Next()).Take(substitutions))
            {
                copy[position] = vocabulary[random.Next(vocabulary.Length)];
            }

            return copy;
        }

        for (var family = 0; family < families; family++)
        {
            var baseWords = RandomWords(random.Next(100, 201));
            var members = new List<string[]> { baseWords };
            for (var k = 0; k < nearPerFamily; k++)
            {
                members.Add(Variant(baseWords, random.Next(0, 5)));
            }

            for (var k = 0; k < farPerFamily; k++)
            {
                members.Add(Variant(baseWords, baseWords.Length / random.Next(9, 18)));
            }

            foreach (var member in members.OrderBy(_ => random.Next()))
            {
                texts.Add(string.Join(' ', member));
                familyOf.Add(family);
            }
        }

        for (var k = 0; k < unrelated; k++)
        {
            texts.Add(string.Join(' ', RandomWords(random.Next(100, 201))));
            familyOf.Add(-1);
        }

        // Shuffle documents so families are interleaved in input order.
        var order = Enumerable.Range(0, texts.Count).OrderBy(_ => random.Next()).ToList();
        texts = order.Select(i => texts[i]).ToList();
        familyOf = order.Select(i => familyOf[i]).ToList();
        return new SyntheticCorpus(texts, familyOf, ComputeSimilarities(texts));
    }

    private static Dictionary<(int, int), double> ComputeSimilarities(List<string> texts)
    {
        var shingleSets = texts.Select(ShingleSet).ToList();
        var postings = new Dictionary<string, List<int>>();
        for (var doc = 0; doc < shingleSets.Count; doc++)
        {
            foreach (var shingle in shingleSets[doc])
            {
                if (!postings.TryGetValue(shingle, out var list))
                {
                    postings[shingle] = list = [];
                }

                list.Add(doc);
            }
        }

        var intersections = new Dictionary<(int, int), int>();
        foreach (var list in postings.Values)
        {
            for (var a = 0; a < list.Count; a++)
            {
                for (var b = a + 1; b < list.Count; b++)
                {
                    var key = (list[a], list[b]);
                    intersections[key] = intersections.GetValueOrDefault(key) + 1;
                }
            }
        }

        return intersections.ToDictionary(
            pair => pair.Key,
            pair => (double)pair.Value / (shingleSets[pair.Key.Item1].Count + shingleSets[pair.Key.Item2].Count - pair.Value));
    }

    /// <summary>The word 5-gram shingles of a text of lower-case words separated by single spaces.</summary>
    public static HashSet<string> ShingleSet(string text)
    {
        var words = text.Split(' ');
        var set = new HashSet<string>();
        if (words.Length < 5)
        {
            set.Add(text);
            return set;
        }

        for (var i = 0; i + 5 <= words.Length; i++)
        {
            set.Add(string.Join(' ', words, i, 5));
        }

        return set;
    }
}
