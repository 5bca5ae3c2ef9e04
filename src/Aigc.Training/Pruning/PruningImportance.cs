namespace Aigc.Training;

/// <summary>How structured pruning ranks attention heads and MLP channels (the lowest-ranked go).</summary>
public enum PruningImportance
{
    /// <summary>
    /// The L2 norm of the weights that belong to the unit: a head's query, key and value columns of <c>c_attn</c>
    /// (with their biases) and its rows of <c>attn.c_proj</c>; a channel's column of <c>mlp.c_fc</c> (with its bias)
    /// and its row of <c>mlp.c_proj</c>. Needs no data.
    /// </summary>
    WeightNorm,

    /// <summary>
    /// First-order Taylor importance (Molchanov et al., 2019): |Σ gradient × weight| over the unit's weights, the
    /// estimated change of the loss when the unit is removed, summed over the batches of a calibration set.
    /// </summary>
    GradientTimesWeight,
}
