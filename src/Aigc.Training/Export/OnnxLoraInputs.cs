namespace Aigc.Training;

/// <summary>
/// Which layers of an exported model take LoRA matrices as graph inputs, so one exported base serves any adapter
/// without re-export.
/// </summary>
/// <remarks>
/// <para>
/// Every targeted Conv1D layer at path <c>p</c> gets two float inputs named after PEFT's saved keys:
/// <c>base_model.model.p.lora_A.weight</c> <c>[r, in]</c> and <c>base_model.model.p.lora_B.weight</c>
/// <c>[out, r]</c> (PEFT's own shapes), and computes <c>x·W + b + (x·Aᵀ)·Bᵀ</c>.
/// </para>
/// <para>
/// The rank is a symbolic dimension, one per layer (<c>p.lora_rank</c>), so adapters of any rank feed in
/// directly, with no padding and no compute spent on unused ranks. The inputs are also initializers holding empty
/// (rank 0) tensors, so a run that feeds nothing computes the base model exactly.
/// </para>
/// <para>
/// The graph has no scaling input: the adapter's scaling (alpha / r, or alpha / √r with rsLoRA) is folded into B
/// when feeding, <c>B_fed = scaling·B</c>. <see cref="OnnxAdapterWriter"/> does so for <c>.onnx_adapter</c> files
/// and <see cref="OnnxAdapterWriter.GetParameters"/> for direct feeds.
/// </para>
/// <para>
/// With <see cref="PerRowAdapters"/>, the targeted layers take stacked adapter slots instead, so one run serves a
/// batch whose rows use different adapters (the punica / S-LoRA approach): inputs <c>&lt;lora_A name&gt;.stacked</c>
/// <c>[slots, r, in]</c> and <c>&lt;lora_B name&gt;.stacked</c> <c>[slots, out, r]</c> (the rank shared by every
/// slot, smaller ranks zero-padded; the scaling folded into B as above), and <c>adapter_ids [batch] int64</c>, the
/// slot of each row. A layer gathers each row's A and B by its slot and adds <c>(x·Aᵀ)·Bᵀ</c> per row; a slot of
/// zeros (slot 0 by convention) is the base model. The defaults (one slot of rank 0, <c>adapter_ids = [0]</c>)
/// compute the base model, so a run that feeds nothing still works.
/// </para>
/// </remarks>
public sealed record OnnxLoraInputs
{
    /// <summary>The name of the per-row slot input of a <see cref="PerRowAdapters"/> export: <c>adapter_ids [batch] int64</c>.</summary>
    public const string AdapterIdsName = "adapter_ids";

    /// <summary>The symbolic name of the slot dimension of the stacked inputs.</summary>
    public const string SlotsDimension = "lora_slots";

    /// <summary>The suffix that turns a layer's PEFT key (its <c>lora_A</c> or <c>lora_B</c> name) into its stacked input's name.</summary>
    public const string StackedSuffix = ".stacked";

    /// <summary>Gets the module names to target (exact path or path suffix, as PEFT matches them), or <see langword="null"/> when <see cref="TargetModulesRegex"/> is used.</summary>
    /// <value>The default value is <c>["c_attn"]</c>.</value>
    public IReadOnlyList<string>? TargetModules { get; init; } = ["c_attn"];

    /// <summary>Gets a regular expression that must match a module's whole path, or <c>all-linear</c>; used when <see cref="TargetModules"/> is <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TargetModulesRegex { get; init; }

    /// <summary>
    /// Gets whether the targeted layers take stacked adapter slots and per-row <c>adapter_ids</c> (one run serves a
    /// mixed-adapter batch) instead of one adapter's matrices per run.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PerRowAdapters { get; init; }

    /// <summary>Targets the same layers as an adapter configuration (its rank and alpha do not matter: the rank is symbolic and the scaling is fed with B).</summary>
    /// <param name="config">The adapter configuration.</param>
    /// <returns>The LoRA input settings.</returns>
    public static OnnxLoraInputs From(LoraConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new OnnxLoraInputs { TargetModules = config.TargetModules, TargetModulesRegex = config.TargetModulesRegex };
    }

    /// <summary>Returns whether the layer at <paramref name="path"/> takes LoRA inputs.</summary>
    /// <param name="path">The module path, for example <c>transformer.h.0.attn.c_attn</c>.</param>
    /// <returns><see langword="true"/> when it is targeted.</returns>
    public bool IsTarget(string path) =>
        new LoraConfig { TargetModules = TargetModules, TargetModulesRegex = TargetModulesRegex }.IsTarget(path);

    internal IEnumerable<string> Problems()
    {
        if (TargetModules is null && string.IsNullOrEmpty(TargetModulesRegex))
        {
            yield return "LoRA inputs need target modules: names (for example [\"c_attn\"]), a regex, or \"all-linear\"";
        }
        else if (TargetModules is { Count: 0 })
        {
            yield return "LoRA inputs need at least one target module";
        }
    }
}
