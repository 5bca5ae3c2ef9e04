using System.Diagnostics.CodeAnalysis;

namespace Aigc.Inference;

/// <summary>The outputs for one request: exactly its rows of every model output, in the model's output order.</summary>
public sealed class InferenceResult
{
    private readonly ModelMetadata _metadata;
    private readonly InferenceTensor[] _outputs;

    internal InferenceResult(ModelMetadata metadata, InferenceTensor[] outputs, int rows, int batchRows, TimeSpan queueTime, TimeSpan computeTime)
    {
        _metadata = metadata;
        _outputs = outputs;
        Rows = rows;
        BatchRows = batchRows;
        QueueTime = queueTime;
        ComputeTime = computeTime;
    }

    /// <summary>Gets the number of rows of the request (the leading dimension of every output).</summary>
    public int Rows { get; }

    /// <summary>Gets the number of rows of the model execution the request ran in (its own rows when it ran alone).</summary>
    public int BatchRows { get; }

    /// <summary>Gets how long the request waited in the queue before its batch started.</summary>
    public TimeSpan QueueTime { get; }

    /// <summary>Gets how long the model execution the request ran in took, including copying inputs and outputs.</summary>
    public TimeSpan ComputeTime { get; }

    /// <summary>Gets the output tensors in the model's output order.</summary>
    public IReadOnlyList<InferenceTensor> Outputs => _outputs;

    /// <summary>Gets the output names in the model's output order.</summary>
    public IReadOnlyList<string> OutputNames => _metadata.OutputNames;

    /// <summary>Gets an output by name.</summary>
    /// <param name="name">The output name (case-sensitive).</param>
    /// <returns>The output tensor.</returns>
    /// <exception cref="KeyNotFoundException">The model has no output of that name.</exception>
    public InferenceTensor this[string name]
        => TryGetOutput(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"The model has no output '{name}'; its outputs are: {string.Join(", ", _metadata.OutputNames)}.");

    /// <summary>Gets an output by name, typed.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The output name (case-sensitive).</param>
    /// <returns>The output tensor.</returns>
    /// <exception cref="KeyNotFoundException">The model has no output of that name.</exception>
    /// <exception cref="InvalidCastException">The output's elements are not <typeparamref name="T"/>.</exception>
    public InferenceTensor<T> GetOutput<T>(string name)
        where T : unmanaged
        => this[name].As<T>();

    /// <summary>Finds an output by name.</summary>
    /// <param name="name">The output name (case-sensitive).</param>
    /// <param name="tensor">The output tensor, when found.</param>
    /// <returns><see langword="true"/> when the model has an output of that name.</returns>
    public bool TryGetOutput(string name, [NotNullWhen(true)] out InferenceTensor? tensor)
    {
        if (_metadata.TryGetOutput(name, out var info))
        {
            tensor = _outputs[info.Index];
            return true;
        }

        tensor = null;
        return false;
    }
}
