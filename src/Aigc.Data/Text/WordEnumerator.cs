using System.Buffers;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Enumerates the words of a text without allocating; see <see cref="TextSegmenter"/> for the word rule. Get one from
/// <see cref="TextSegmenter.EnumerateWords"/>.
/// </summary>
public ref struct WordEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private int _start;
    private int _length;

    internal WordEnumerator(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
        _start = 0;
        _length = 0;
    }

    /// <summary>Gets the current word.</summary>
    public readonly ReadOnlySpan<char> Current => _text.Slice(_start, _length);

    /// <summary>Gets the offset of the current word in the text.</summary>
    public readonly int CurrentIndex => _start;

    /// <summary>Returns this enumerator (so it works in <see langword="foreach"/>).</summary>
    /// <returns>This enumerator.</returns>
    public readonly WordEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next word.</summary>
    /// <returns><see langword="true"/> when there is a next word.</returns>
    public bool MoveNext()
    {
        var text = _text;
        var i = _position;
        var runStart = -1;
        var hasLetterOrDigit = false;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var width) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
            }

            if (CjkCharacters.IsWordCharacter(rune.Value))
            {
                if (runStart >= 0 && hasLetterOrDigit)
                {
                    return Found(runStart, i);
                }

                var end = SkipMarks(text, i + width);
                return Found(i, end);
            }

            if (TextSegmenter.IsWordRunCharacter(rune, out var letterOrDigit))
            {
                if (runStart < 0)
                {
                    runStart = i;
                    hasLetterOrDigit = false;
                }

                hasLetterOrDigit |= letterOrDigit;
            }
            else if (runStart >= 0)
            {
                if (hasLetterOrDigit)
                {
                    return Found(runStart, i);
                }

                runStart = -1;
            }

            i += width;
        }

        if (runStart >= 0 && hasLetterOrDigit)
        {
            return Found(runStart, i);
        }

        _position = text.Length;
        return false;
    }

    private bool Found(int start, int end)
    {
        _start = start;
        _length = end - start;
        _position = end;
        return true;
    }

    private static int SkipMarks(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] >= 0x300
            && Rune.DecodeFromUtf16(text[i..], out var rune, out var width) == OperationStatus.Done
            && CjkCharacters.IsMark(rune.Value))
        {
            i += width;
        }

        return i;
    }
}
