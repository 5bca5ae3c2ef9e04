using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// Base class for steps that decide about each record on its own (cleaning, filtering, PII scrubbing, labeling):
/// override <see cref="Process"/> and return a <see cref="StepDecision"/>.
/// </summary>
public abstract class RecordStep : IDataStep
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract int Version { get; }

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Decides about one record, changing it in place when the step rewrites records.</summary>
    /// <param name="record">The record.</param>
    /// <param name="context">The step's context (counters, seed).</param>
    /// <returns>Keep, reject with a reason, or drop as a duplicate.</returns>
    protected abstract StepDecision Process(DataRecord record, DataStepContext context);

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ExecuteAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var decision = Process(record, context);
            switch (decision.Outcome)
            {
                case StepOutcome.Keep:
                    yield return record;
                    break;
                case StepOutcome.Reject:
                    context.Reject(record, decision.Reason!);
                    break;
                default:
                    context.MarkDuplicate(record, decision.Reason);
                    break;
            }
        }
    }
}
