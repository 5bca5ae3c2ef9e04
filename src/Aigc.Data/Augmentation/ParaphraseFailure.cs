namespace Aigc.Data;

/// <summary>One failed paraphrase call, as written to the <c>augment.paraphrase.failures</c> report.</summary>
/// <param name="RecordId">The record whose copy was skipped.</param>
/// <param name="Copy">The copy number.</param>
/// <param name="Error">The exception type and message.</param>
internal sealed record ParaphraseFailure(string RecordId, int Copy, string Error);
