using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Computes MinHash signatures of texts over word n-gram shingles, as datatrove and text-dedup do: the text is
/// normalised (NFKC, lower case), split into words (runs of letters, digits and combining marks; each CJK ideograph,
/// hiragana or katakana character is a word of its own; everything else separates words), each n-gram of words is
/// hashed to 64 bits (XxHash3 over the n word hashes), and permutation <c>i</c> maps a shingle hash <c>x</c> to
/// <c>(a_i·x + b_i) mod (2^61 − 1)</c> with <c>a_i ∈ [1, p)</c>, <c>b_i ∈ [0, p)</c> drawn from a seeded SplitMix64.
/// Signature entry <c>i</c> is the minimum over the shingles. Thread-safe: one instance serves many threads.
/// </summary>
internal sealed class MinHasher
{
    /// <summary>The Mersenne prime 2^61 − 1.</summary>
    public const ulong Prime = (1UL << 61) - 1;

    /// <summary>The signature value of a text without any word (no shingle).</summary>
    public const ulong Empty = ulong.MaxValue;

    private readonly ulong[] _a;
    private readonly ulong[] _b;

    public MinHasher(int permutations, int nGramSize, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nGramSize, 1);
        Permutations = permutations;
        NGramSize = nGramSize;
        _a = new ulong[permutations];
        _b = new ulong[permutations];
        var state = unchecked((ulong)seed);
        for (var i = 0; i < permutations; i++)
        {
            _a[i] = 1 + (NextRandom(ref state) % (Prime - 1));
            _b[i] = NextRandom(ref state) % Prime;
        }
    }

    public int Permutations { get; }

    public int NGramSize { get; }

    /// <summary>Computes the signature of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="signature">Receives <see cref="Permutations"/> values.</param>
    /// <returns>The number of shingles; 0 when the text has no word (the signature is then all <see cref="Empty"/>).</returns>
    public int Compute(string text, Span<ulong> signature)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (signature.Length != Permutations)
        {
            throw new ArgumentException($"The signature span must hold {Permutations} values.", nameof(signature));
        }

        text = DedupUnicode.Normalize(text, NormalizationForm.FormKC);

        var wordHashes = ArrayPool<ulong>.Shared.Rent(Math.Max(16, text.Length / 4));
        try
        {
            var words = HashWords(text, ref wordHashes);
            signature.Fill(Empty);
            if (words == 0)
            {
                return 0;
            }

            var n = Math.Min(NGramSize, words);
            var shingles = words - n + 1;
            for (var i = 0; i < shingles; i++)
            {
                var shingle = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(wordHashes.AsSpan(i, n)));
                Permute(shingle, signature);
            }

            return shingles;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(wordHashes);
        }
    }

    /// <summary>Folds one shingle hash into the running minima of every permutation.</summary>
    private void Permute(ulong shingle, Span<ulong> minima)
    {
        // x mod p without division: 2^61 ≡ 1 (mod p).
        var x = (shingle & Prime) + (shingle >> 61);
        if (x >= Prime)
        {
            x -= Prime;
        }

        var a = _a.AsSpan(0, minima.Length);
        var b = _b.AsSpan(0, minima.Length);
        for (var i = 0; i < minima.Length; i++)
        {
            var value = MultiplyAddMod(a[i], x, b[i]);
            if (value < minima[i])
            {
                minima[i] = value;
            }
        }
    }

    /// <summary>Returns <c>(a·x + b) mod (2^61 − 1)</c> for <c>a, x, b &lt; 2^61 − 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MultiplyAddMod(ulong a, ulong x, ulong b)
    {
        var high = Math.BigMul(a, x, out var low);

        // a·x = high·2^64 + low, with 2^64 ≡ 8 and 2^61 ≡ 1 (mod p); every term is below 2^61, so the sum fits.
        var sum = (low & Prime) + (low >> 61) + (high << 3) + b;
        sum = (sum & Prime) + (sum >> 61);
        return sum >= Prime ? sum - Prime : sum;
    }

    /// <summary>Splits the text into words and writes one 64-bit hash per lower-cased word; returns the word count.</summary>
    private static int HashWords(string text, ref ulong[] hashes)
    {
        var count = 0;
        Span<char> stackWord = stackalloc char[128];
        char[]? rented = null;
        var word = stackWord;
        var length = 0;
        try
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                int width;
                WordClass kind;
                if (c < 0x80)
                {
                    width = 1;
                    kind = char.IsAsciiLetterOrDigit(c) ? WordClass.Word : WordClass.Separator;
                    if (kind == WordClass.Word && char.IsAsciiLetterUpper(c))
                    {
                        c = (char)(c | 0x20);
                    }
                }
                else
                {
                    if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out width) != OperationStatus.Done)
                    {
                        rune = Rune.ReplacementChar;
                        width = 1;
                    }

                    kind = Classify(rune);
                }

                if (kind == WordClass.Separator || kind == WordClass.Single)
                {
                    if (length > 0)
                    {
                        Append(ref hashes, ref count, HashWord(word[..length]));
                        length = 0;
                    }

                    if (kind == WordClass.Single)
                    {
                        Append(ref hashes, ref count, HashWord(text.AsSpan(i, width)));
                    }
                }
                else
                {
                    if (length + 2 > word.Length)
                    {
                        var larger = ArrayPool<char>.Shared.Rent(word.Length * 2);
                        word[..length].CopyTo(larger);
                        if (rented is not null)
                        {
                            ArrayPool<char>.Shared.Return(rented);
                        }

                        rented = larger;
                        word = larger;
                    }

                    if (width == 1 && c < 0x80)
                    {
                        word[length++] = c;
                    }
                    else
                    {
                        length += text.AsSpan(i, width).ToLowerInvariant(word[length..]);
                    }
                }

                i += width;
            }

            if (length > 0)
            {
                Append(ref hashes, ref count, HashWord(word[..length]));
            }

            return count;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashWord(ReadOnlySpan<char> word) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word));

    private static void Append(ref ulong[] hashes, ref int count, ulong hash)
    {
        if (count == hashes.Length)
        {
            var larger = ArrayPool<ulong>.Shared.Rent(hashes.Length * 2);
            hashes.AsSpan().CopyTo(larger);
            ArrayPool<ulong>.Shared.Return(hashes);
            hashes = larger;
        }

        hashes[count++] = hash;
    }

    private static WordClass Classify(Rune rune)
    {
        var value = rune.Value;
        if ((value >= 0x4E00 && value <= 0x9FFF) || (value >= 0x3400 && value <= 0x4DBF) || (value >= 0x20000 && value <= 0x3FFFF)
            || (value >= 0xF900 && value <= 0xFAFF) || (value >= 0x3040 && value <= 0x30FF))
        {
            return WordClass.Single;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => WordClass.Word,
            _ => WordClass.Separator,
        };
    }

    private static ulong NextRandom(ref ulong state)
    {
        // SplitMix64 (Steele, Lea and Flood 2014).
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private enum WordClass
    {
        Separator,
        Word,
        Single,
    }
}
