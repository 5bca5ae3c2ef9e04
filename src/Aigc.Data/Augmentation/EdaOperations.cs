namespace Aigc.Data;

/// <summary>
/// The EDA operations on an <see cref="EdaSentence"/>, after the reference implementation (jasonwei20/eda_nlp):
/// with <c>n = max(1, ⌊α·words⌋)</c>, synonym replacement replaces up to n distinct words that have synonyms,
/// random insertion inserts n synonyms of random words at random positions, random swap swaps two distinct words
/// n times, and random deletion deletes each word with probability α but never every word.
/// </summary>
internal static class EdaOperations
{
    /// <summary>Gets the method name recorded on a copy.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name.</returns>
    public static string MethodName(EdaOperation operation) => operation switch
    {
        EdaOperation.SynonymReplacement => "eda.synonym-replacement",
        EdaOperation.RandomInsertion => "eda.random-insertion",
        EdaOperation.RandomSwap => "eda.random-swap",
        _ => "eda.random-deletion",
    };

    /// <summary>Applies one operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="sentence">The sentence, changed in place.</param>
    /// <param name="alpha">The operation's α.</param>
    /// <param name="synonyms">The synonym map.</param>
    /// <param name="random">The record's generator.</param>
    public static void Apply(EdaOperation operation, EdaSentence sentence, double alpha, EdaSynonymMap synonyms, AugmentRandom random)
    {
        switch (operation)
        {
            case EdaOperation.SynonymReplacement:
                ReplaceSynonyms(sentence, alpha, synonyms, random);
                break;
            case EdaOperation.RandomInsertion:
                InsertSynonyms(sentence, alpha, synonyms, random);
                break;
            case EdaOperation.RandomSwap:
                Swap(sentence, alpha, random);
                break;
            default:
                Delete(sentence, alpha, random);
                break;
        }
    }

    private static int Count(double alpha, int words) => Math.Max(1, (int)(alpha * words));

    private static void ReplaceSynonyms(EdaSentence sentence, double alpha, EdaSynonymMap synonyms, AugmentRandom random)
    {
        var words = sentence.Words;
        var candidates = new List<int>();
        for (var i = 0; i < words.Count; i++)
        {
            if (TryGetSynonyms(words[i], synonyms, out _, out _, out _))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var order = candidates.ToArray();
        random.Shuffle<int>(order);
        var n = Math.Min(Count(alpha, words.Count), order.Length);
        for (var t = 0; t < n; t++)
        {
            var index = order[t];
            var word = words[index];
            TryGetSynonyms(word, synonyms, out var start, out var end, out var options);
            var synonym = options[random.Next(options.Length)];
            words[index] = string.Concat(word.AsSpan(0, start), MatchCase(word.AsSpan(start, end - start), synonym), word.AsSpan(end));
        }
    }

    private static void InsertSynonyms(EdaSentence sentence, double alpha, EdaSynonymMap synonyms, AugmentRandom random)
    {
        var n = Count(alpha, sentence.Words.Count);
        var candidates = new List<string[]>();
        for (var t = 0; t < n; t++)
        {
            candidates.Clear();
            foreach (var word in sentence.Words)
            {
                if (TryGetSynonyms(word, synonyms, out _, out _, out var options))
                {
                    candidates.Add(options);
                }
            }

            if (candidates.Count == 0)
            {
                return;
            }

            var chosen = candidates[random.Next(candidates.Count)];
            sentence.Insert(random.Next(sentence.Words.Count + 1), chosen[random.Next(chosen.Length)]);
        }
    }

    private static void Swap(EdaSentence sentence, double alpha, AugmentRandom random)
    {
        var words = sentence.Words;
        if (words.Count < 2)
        {
            return;
        }

        var n = Count(alpha, words.Count);
        for (var t = 0; t < n; t++)
        {
            var i = random.Next(words.Count);
            var j = random.Next(words.Count - 1);
            if (j >= i)
            {
                j++;
            }

            (words[i], words[j]) = (words[j], words[i]);
        }
    }

    private static void Delete(EdaSentence sentence, double probability, AugmentRandom random)
    {
        var count = sentence.Words.Count;
        if (count < 2)
        {
            return;
        }

        Span<bool> keep = count <= 256 ? stackalloc bool[count] : new bool[count];
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            keep[i] = random.NextDouble() >= probability;
            if (keep[i])
            {
                kept++;
            }
        }

        if (kept == 0)
        {
            keep[random.Next(count)] = true;
        }

        sentence.Retain(keep);
    }

    /// <summary>Finds the synonyms of a word, ignoring punctuation around it (<c>"happy,"</c> looks up <c>happy</c>).</summary>
    private static bool TryGetSynonyms(string word, EdaSynonymMap synonyms, out int start, out int end, out string[] options)
    {
        start = 0;
        end = word.Length;
        while (start < end && !char.IsLetterOrDigit(word[start]))
        {
            start++;
        }

        while (end > start && !char.IsLetterOrDigit(word[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            options = [];
            return false;
        }

        return synonyms.TryGet(word.AsSpan(start, end - start), out options);
    }

    /// <summary>Gives the synonym the original's capitalisation: ALL CAPS, Capitalised, or as given.</summary>
    private static string MatchCase(ReadOnlySpan<char> original, string synonym)
    {
        if (original.Length > 1 && IsAllUpper(original))
        {
            return synonym.ToUpperInvariant();
        }

        if (char.IsUpper(original[0]) && synonym.Length > 0 && char.IsLower(synonym[0]))
        {
            return string.Concat(char.ToUpperInvariant(synonym[0]).ToString(), synonym.AsSpan(1));
        }

        return synonym;
    }

    private static bool IsAllUpper(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c) && !char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }
}
