namespace Aigc.Data;

/// <summary>
/// What a <see cref="RecordTokenizer"/> does when record content (not template text) contains the text of a special
/// token such as GPT-2's <c>&lt;|endoftext|&gt;</c>, which the tokenizer would encode as the control token itself.
/// </summary>
public enum SpecialTokenPolicy
{
    /// <summary>Reject the record, naming the special token, so data cannot inject end-of-text or role markers.</summary>
    Reject = 0,

    /// <summary>Encode the content as the tokenizer does, special tokens included.</summary>
    Allow = 1,
}
