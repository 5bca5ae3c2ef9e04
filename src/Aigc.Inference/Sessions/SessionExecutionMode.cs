namespace Aigc.Inference;

/// <summary>Whether ONNX Runtime runs a graph's independent nodes one after another or in parallel.</summary>
public enum SessionExecutionMode
{
    /// <summary>Nodes run one after another; each node may use the intra-op threads.</summary>
    Sequential = 0,

    /// <summary>Independent branches of the graph run in parallel on the inter-op threads.</summary>
    Parallel = 1,
}
