namespace Aigc.Training;

/// <summary>How magnitude pruning picks its threshold.</summary>
public enum PruningScope
{
    /// <summary>One threshold over every targeted weight: layers whose weights are small lose more.</summary>
    Global,

    /// <summary>Each targeted weight matrix loses the same share of its entries.</summary>
    PerLayer,
}
