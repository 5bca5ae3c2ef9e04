namespace Aigc.Data;

/// <summary>
/// Assigns each kept record to a split (<c>train</c>, <c>validation</c>, <c>test</c>) as a pipeline writes it.
/// Its id, version and parameters are part of the dataset fingerprint, like a step's.
/// </summary>
public interface IRecordSplitter
{
    /// <summary>Gets the splitter's stable identifier, for example <c>split.hash</c>.</summary>
    string Id { get; }

    /// <summary>Gets the version of the splitter's behaviour.</summary>
    int Version { get; }

    /// <summary>Gets the splitter's canonical parameters (see <see cref="StepParameters"/>).</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Returns the split a record belongs to.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The split name.</returns>
    string GetSplit(DataRecord record);
}
