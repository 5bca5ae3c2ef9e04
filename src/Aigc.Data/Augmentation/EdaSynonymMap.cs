using System.Buffers;
using System.IO.Hashing;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// The user-supplied synonym map of <see cref="EdaAugmentStep"/>, looked up case-insensitively without allocating.
/// Entries whose keys differ only in case are merged; a word's own form and empty synonyms are dropped.
/// </summary>
internal sealed class EdaSynonymMap
{
    private readonly Dictionary<string, string[]> _map;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Initializes the map.</summary>
    /// <param name="synonyms">Word → synonyms.</param>
    public EdaSynonymMap(IReadOnlyDictionary<string, IReadOnlyList<string>> synonyms)
    {
        var merged = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (word, list) in synonyms)
        {
            if (string.IsNullOrWhiteSpace(word) || list is null)
            {
                continue;
            }

            if (!merged.TryGetValue(word, out var target))
            {
                merged[word] = target = [];
            }

            foreach (var synonym in list)
            {
                if (!string.IsNullOrWhiteSpace(synonym)
                    && !string.Equals(synonym, word, StringComparison.OrdinalIgnoreCase)
                    && !target.Contains(synonym, StringComparer.OrdinalIgnoreCase))
                {
                    target.Add(synonym);
                }
            }
        }

        _map = new Dictionary<string, string[]>(merged.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (word, list) in merged)
        {
            if (list.Count > 0)
            {
                _map[word] = [.. list];
            }
        }

        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        Hash = ComputeHash(synonyms);
    }

    /// <summary>Gets the number of words that have synonyms.</summary>
    public int Count => _map.Count;

    /// <summary>Gets the hash of the map's content (XxHash128 over the entries sorted by word, synonyms in the given order).</summary>
    public string Hash { get; }

    /// <summary>Looks up the synonyms of a word.</summary>
    /// <param name="word">The word (case-insensitive).</param>
    /// <param name="synonyms">The synonyms.</param>
    /// <returns>Whether the word has synonyms.</returns>
    public bool TryGet(ReadOnlySpan<char> word, out string[] synonyms) => _lookup.TryGetValue(word, out synonyms!);

    private static string ComputeHash(IReadOnlyDictionary<string, IReadOnlyList<string>> synonyms)
    {
        var words = new string[synonyms.Count];
        var i = 0;
        foreach (var word in synonyms.Keys)
        {
            words[i++] = word;
        }

        Array.Sort(words, StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var word in words)
            {
                writer.WriteStartArray(word);
                foreach (var synonym in synonyms[word] ?? [])
                {
                    writer.WriteStringValue(synonym);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(XxHash128.Hash(buffer.WrittenSpan));
    }
}
