using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>
/// How a <see cref="BatchedModel"/> forms batches, with the semantics of Triton's dynamic batcher: a maximum batch
/// size in rows, a maximum queue delay, optional preferred batch sizes, priority levels, a per-request queue
/// timeout, a bounded queue, a number of concurrent executors and optional ordering of responses.
/// </summary>
public sealed class BatchingOptions : IValidatableObject
{
    /// <summary>Gets or sets the largest number of rows (leading-dimension entries) one model execution takes.</summary>
    /// <value>The default value is <c>8</c>.</value>
    [Range(1, 65536)]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// Gets or sets how long a batch that is not full may wait for more requests, counted from the arrival of its
    /// oldest request. Zero sends whatever is queued as soon as an executor is free (under load, requests that
    /// arrive while the executors are busy still batch together).
    /// </summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets the batch sizes (in rows) the batcher sends at once, without waiting for <see cref="MaxQueueDelay"/>,
    /// when the queue can form one; the largest that can be formed wins. Empty: only a full batch is sent early.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<int> PreferredBatchSizes { get; } = new List<int>();

    /// <summary>Gets or sets the number of priority levels; level 1 is served first.</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 16)]
    public int PriorityLevels { get; set; } = 1;

    /// <summary>Gets or sets the level of requests whose <see cref="InferenceRequest.Priority"/> is 0.</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 16)]
    public int DefaultPriority { get; set; } = 1;

    /// <summary>
    /// Gets or sets how long a request may wait in the queue before it is rejected with
    /// <see cref="InferenceRejectionReason.Timeout"/>, when the request does not set its own; <see langword="null"/> for no limit.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? DefaultTimeout { get; set; }

    /// <summary>
    /// Gets or sets the largest number of requests waiting in the queue; a request that arrives when it is full is
    /// rejected at once with <see cref="InferenceRejectionReason.QueueFull"/>.
    /// </summary>
    /// <value>The default value is <c>1024</c>.</value>
    [Range(1, 1_000_000)]
    public int MaxQueueSize { get; set; } = 1024;

    /// <summary>
    /// Gets or sets the number of batches that run at once, each on its own thread with its own buffers. Every
    /// execution uses the session's intra-op threads, so on a CPU one executor usually gives the best throughput;
    /// more help when the device has room for concurrent runs (GPU) or copying dominates.
    /// </summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 64)]
    public int ExecutorCount { get; set; } = 1;

    /// <summary>
    /// Gets or sets whether responses complete in the order their batches were formed (arrival order within a
    /// priority level), even when several executors finish out of order.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PreserveOrdering { get; set; }

    /// <summary>
    /// Gets the pad value per input name. Such an input's second dimension (the sequence) may differ between
    /// requests: the batcher pads every row to the longest in the batch with this value, and trims outputs whose
    /// second dimension has the same symbolic name back to each request's own length.
    /// </summary>
    /// <value>The default value is an empty dictionary: no padding, so only requests of equal shapes batch together.</value>
    public IDictionary<string, double> PadValues { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the name of the model input that receives the padding mask (<c>[batch, sequence]</c>, 1 for
    /// a real position, 0 for padding), built by the batcher when a request does not carry it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no mask input.</value>
    public string? MaskInput { get; set; }

    /// <summary>Copies the options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public BatchingOptions Clone()
    {
        var copy = new BatchingOptions
        {
            MaxBatchSize = MaxBatchSize,
            MaxQueueDelay = MaxQueueDelay,
            PriorityLevels = PriorityLevels,
            DefaultPriority = DefaultPriority,
            DefaultTimeout = DefaultTimeout,
            MaxQueueSize = MaxQueueSize,
            ExecutorCount = ExecutorCount,
            PreserveOrdering = PreserveOrdering,
            MaskInput = MaskInput,
        };
        foreach (var size in PreferredBatchSizes)
        {
            copy.PreferredBatchSizes.Add(size);
        }

        foreach (var pair in PadValues)
        {
            copy.PadValues[pair.Key] = pair.Value;
        }

        return copy;
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var size in PreferredBatchSizes)
        {
            if (size < 1 || size > MaxBatchSize)
            {
                yield return new ValidationResult($"The preferred batch size {size} is not between 1 and MaxBatchSize ({MaxBatchSize}).", [nameof(PreferredBatchSizes)]);
            }
        }

        if (DefaultPriority > PriorityLevels)
        {
            yield return new ValidationResult($"The default priority {DefaultPriority} is above the number of priority levels ({PriorityLevels}).", [nameof(DefaultPriority)]);
        }

        if (DefaultTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("The default timeout must be positive, or null for none.", [nameof(DefaultTimeout)]);
        }

        if (MaskInput is { Length: 0 })
        {
            yield return new ValidationResult("The mask input name is empty; leave it null for no mask.", [nameof(MaskInput)]);
        }
    }
}
