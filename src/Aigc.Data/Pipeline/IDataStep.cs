namespace Aigc.Data;

/// <summary>
/// One step of a <see cref="DataPipeline"/>: takes a stream of records and yields the records it keeps, after
/// changing them as it does. A step reports what it drops through its <see cref="DataStepContext"/>.
/// </summary>
/// <remarks>
/// <see cref="Id"/>, <see cref="Version"/> and <see cref="Parameters"/> make up the step's identity in the dataset
/// fingerprint: a pipeline whose steps are unchanged finds its stored version instead of running again. Bump
/// <see cref="Version"/> whenever the step's output changes for the same input and parameters.
/// </remarks>
public interface IDataStep
{
    /// <summary>Gets the step's stable identifier, for example <c>clean.normalize</c>.</summary>
    string Id { get; }

    /// <summary>Gets the version of the step's behaviour.</summary>
    int Version { get; }

    /// <summary>Gets the step's canonical parameters (see <see cref="StepParameters"/>).</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Runs the step over a stream of records.</summary>
    /// <param name="records">The input records.</param>
    /// <param name="context">Where the step reports rejects, duplicates, counters and reports.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The records the step keeps.</returns>
    IAsyncEnumerable<DataRecord> ExecuteAsync(IAsyncEnumerable<DataRecord> records, DataStepContext context, CancellationToken cancellationToken = default);
}
