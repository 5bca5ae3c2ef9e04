using System.Text;

namespace Aigc.Data;

/// <summary>
/// A text as EDA sees it: words split on white space, with the white space between them kept, so a text whose
/// words are swapped or replaced keeps its line breaks. Inserted words are separated by one space.
/// </summary>
internal sealed class EdaSentence
{
    private EdaSentence(string leading, string trailing)
    {
        Leading = leading;
        Trailing = trailing;
    }

    /// <summary>Gets the white space before the first word.</summary>
    public string Leading { get; }

    /// <summary>Gets the white space after the last word.</summary>
    public string Trailing { get; }

    /// <summary>Gets the words.</summary>
    public List<string> Words { get; } = [];

    /// <summary>Gets the separators: <c>Separators[i]</c> is the white space between <c>Words[i]</c> and <c>Words[i + 1]</c>.</summary>
    public List<string> Separators { get; } = [];

    /// <summary>Splits a text into words and separators.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The sentence.</returns>
    public static EdaSentence Parse(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var leading = text[..i];
        var words = new List<string>();
        var separators = new List<string>();
        var trailing = string.Empty;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            words.Add(text[start..i]);
            var space = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                trailing = text[space..i];
            }
            else
            {
                separators.Add(text[space..i]);
            }
        }

        var sentence = new EdaSentence(leading, trailing);
        sentence.Words.AddRange(words);
        sentence.Separators.AddRange(separators);
        return sentence;
    }

    /// <summary>Inserts a word at <paramref name="index"/> (0 to the word count).</summary>
    /// <param name="index">The position.</param>
    /// <param name="word">The word.</param>
    public void Insert(int index, string word)
    {
        if (Words.Count > 0)
        {
            Separators.Insert(Math.Min(index, Separators.Count), " ");
        }

        Words.Insert(index, word);
    }

    /// <summary>Keeps only the words whose flag is set, with the separator before each kept word.</summary>
    /// <param name="keep">One flag per word.</param>
    public void Retain(ReadOnlySpan<bool> keep)
    {
        var words = new List<string>(Words.Count);
        var separators = new List<string>(Separators.Count);
        for (var i = 0; i < Words.Count; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            if (words.Count > 0)
            {
                separators.Add(Separators[i - 1]);
            }

            words.Add(Words[i]);
        }

        Words.Clear();
        Words.AddRange(words);
        Separators.Clear();
        Separators.AddRange(separators);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder(Leading);
        for (var i = 0; i < Words.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(Separators[i - 1]);
            }

            builder.Append(Words[i]);
        }

        return builder.Append(Trailing).ToString();
    }
}
