namespace Aigc.Inference;

/// <summary>
/// One call to a model: named input tensors that share a leading batch dimension (one or more rows), with the
/// request's priority and queue timeout. Models only read a request, so it can be sent again (even concurrently);
/// do not change its tensors' memory while a call with it is pending.
/// </summary>
/// <example>
/// <code>
/// var request = new InferenceRequest()
///     .Add("Input247", InferenceTensor.Create&lt;float&gt;(pixels, 2, 3, 224, 224));
/// InferenceResult result = await model.InferAsync(request, cancellationToken);
/// ReadOnlySpan&lt;float&gt; features = result.GetOutput&lt;float&gt;("Pooling395_Output_0").Span;
/// </code>
/// </example>
public sealed class InferenceRequest
{
    /// <summary>Gets the input tensors by input name (case-sensitive).</summary>
    public Dictionary<string, InferenceTensor> Inputs { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the priority level: 1 is the highest, up to <see cref="BatchingOptions.PriorityLevels"/>;
    /// 0 uses <see cref="BatchingOptions.DefaultPriority"/>. Requests of one level are served first in, first out.
    /// </summary>
    /// <value>The default value is <c>0</c>.</value>
    public int Priority { get; set; }

    /// <summary>
    /// Gets or sets how long the request may wait in the queue before it is rejected with
    /// <see cref="InferenceRejectionReason.Timeout"/>; <see langword="null"/> uses
    /// <see cref="BatchingOptions.DefaultTimeout"/>. Once a batch holding the request starts, the timeout no longer applies.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Adds (or replaces) an input tensor.</summary>
    /// <param name="name">The model input name.</param>
    /// <param name="tensor">The tensor; its leading dimension is the number of rows.</param>
    /// <returns>This request, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is <see langword="null"/>.</exception>
    public InferenceRequest Add(string name, InferenceTensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        Inputs[name] = tensor;
        return this;
    }
}
