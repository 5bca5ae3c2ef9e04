using Microsoft.ML.Tokenizers;

namespace Aigc.Inference;

/// <summary>
/// Turns a stream of token ids into text deltas that never split a character: byte-level BPE tokens (GPT-2) may end
/// in the middle of a multi-byte UTF-8 sequence, which decodes to a trailing U+FFFD; that text waits for the token
/// that completes the character.
/// </summary>
/// <remarks>
/// Decoding is windowed, as in Hugging Face's and vLLM's incremental detokenizers: only the tokens since the last
/// character boundary are decoded again, so the cost per token does not grow with the output.
/// </remarks>
internal sealed class IncrementalDetokenizer(Tokenizer tokenizer)
{
    private readonly List<int> _ids = [];
    private int _prefix; // window start: a character boundary
    private int _read; // the tokens up to here have been handed out as text

    /// <summary>Adds a token and returns the text it completes (possibly empty).</summary>
    public string Append(int tokenId)
    {
        _ids.Add(tokenId);
        var window = _ids.GetRange(_prefix, _ids.Count - _prefix);
        var before = _read > _prefix ? tokenizer.Decode(_ids.GetRange(_prefix, _read - _prefix)) : string.Empty;
        var text = tokenizer.Decode(window);
        if (text.Length <= before.Length || text[^1] == '\uFFFD' || char.IsHighSurrogate(text[^1]))
        {
            return string.Empty; // nothing new yet, or the last character is incomplete
        }

        var delta = text[before.Length..];
        _prefix = _read;
        _read = _ids.Count;
        return delta;
    }

    /// <summary>Returns what is still held back (an incomplete character stays U+FFFD).</summary>
    public string Flush()
    {
        if (_read == _ids.Count)
        {
            return string.Empty;
        }

        var before = _read > _prefix ? tokenizer.Decode(_ids.GetRange(_prefix, _read - _prefix)) : string.Empty;
        var text = tokenizer.Decode(_ids.GetRange(_prefix, _ids.Count - _prefix));
        _read = _ids.Count;
        return text.Length > before.Length ? text[before.Length..] : string.Empty;
    }
}
