namespace Aigc.Data.Tests.Filters;

/// <summary>Texts the filter tests build on.</summary>
internal static class SampleTexts
{
    /// <summary>Ordinary English prose that passes every Gopher and C4 rule with the default thresholds.</summary>
    public const string Prose =
        "The history of the river valley is closely tied to the farms that have grown along its banks for centuries. "
        + "Early settlers cleared the forests and planted wheat, barley and oats, and they built mills that turned with the steady current of the water. "
        + "Over time the small villages grew into market towns, and roads and railways connected them with the cities to the north and the ports on the coast. "
        + "Today the valley is known for its orchards, its quiet walking trails and the old stone bridges that still carry traffic across the river.";

    /// <summary>Five lines, each one sentence of at least three words ending in a period.</summary>
    public static readonly string[] Lines =
    [
        "The river valley has been farmed for many centuries.",
        "Early settlers cleared the forests and planted wheat.",
        "They built mills that turned with the steady current.",
        "Small villages slowly grew into busy market towns.",
        "Today the valley is known for its orchards and trails.",
    ];

    /// <summary>Returns <paramref name="count"/> words drawn from a 150-word vocabulary with a fixed seed: varied, unrepetitive text.</summary>
    public static string RandomWords(int count, int seed)
    {
        var vocabulary = new string[150];
        var random = new Random(seed);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            var length = random.Next(3, 9);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = (char)('a' + random.Next(26));
            }

            vocabulary[i] = new string(chars);
        }

        var words = new string[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = vocabulary[random.Next(vocabulary.Length)];
        }

        return string.Join(' ', words);
    }

    public static string Repeat(string text, int count) => string.Join(' ', Enumerable.Repeat(text, count));
}
