namespace Aigc.Data;

/// <summary>What a <see cref="RecordTokenizer"/> does with an example longer than <see cref="RecordTokenizerOptions.MaxLength"/>.</summary>
public enum TruncationMode
{
    /// <summary>Keep the first <see cref="RecordTokenizerOptions.MaxLength"/> tokens (without the end-of-text token, as the example did not end).</summary>
    Truncate = 0,

    /// <summary>Reject the record, with its token count in the reason.</summary>
    Reject = 1,
}
