namespace Aigc.Inference;

/// <summary>How much ONNX Runtime rewrites a model's graph when it loads it.</summary>
public enum GraphOptimization
{
    /// <summary>No graph optimisation.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving rewrites such as constant folding and redundant-node removal.</summary>
    Basic = 1,

    /// <summary>Basic plus node fusions that target the chosen execution provider.</summary>
    Extended = 2,

    /// <summary>Every optimisation, including layout changes.</summary>
    All = 3,
}
