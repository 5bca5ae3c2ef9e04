using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Aigc.Training;

/// <summary>
/// A LoRA adapter's settings, serialised as PEFT's <c>adapter_config.json</c> so adapters move both ways between
/// Aigc and PEFT. Targets are chosen as PEFT does: a list matches a module whose path equals an entry or ends with
/// <c>.</c> + the entry; a single string is a regular expression that must match the whole path; <c>all-linear</c>
/// takes every linear (Conv1D) layer, never the LM head.
/// </summary>
public sealed record LoraConfig
{
    /// <summary>The value of <see cref="TargetModulesRegex"/> that targets every linear layer.</summary>
    public const string AllLinear = "all-linear";

    /// <summary>Gets the PEFT method, always <c>LORA</c>.</summary>
    [JsonPropertyName("peft_type")]
    public string PeftType { get; init; } = "LORA";

    /// <summary>Gets the task type, <c>CAUSAL_LM</c>.</summary>
    [JsonPropertyName("task_type")]
    public string TaskType { get; init; } = "CAUSAL_LM";

    /// <summary>Gets the rank.</summary>
    /// <value>The default value is <c>8</c>.</value>
    [JsonPropertyName("r")]
    public int Rank { get; init; } = 8;

    /// <summary>Gets alpha; the update is scaled by alpha / r (alpha / √r with rsLoRA).</summary>
    /// <value>The default value is <c>8</c>.</value>
    [JsonPropertyName("lora_alpha")]
    public double Alpha { get; init; } = 8;

    /// <summary>Gets the dropout applied to the adapter's input.</summary>
    /// <value>The default value is <c>0</c>.</value>
    [JsonPropertyName("lora_dropout")]
    public double Dropout { get; init; }

    private IReadOnlyList<string>? _targetModules = ["c_attn"];
    private string? _targetModulesRegex;

    /// <summary>
    /// Gets the module names to target (exact path or path suffix), or <see langword="null"/> when
    /// <see cref="TargetModulesRegex"/> is used. Setting a list clears <see cref="TargetModulesRegex"/>.
    /// </summary>
    /// <value>The default value is <c>["c_attn"]</c>.</value>
    [JsonIgnore]
    public IReadOnlyList<string>? TargetModules
    {
        get => _targetModules;
        init
        {
            _targetModules = value;
            if (value is not null)
            {
                _targetModulesRegex = null;
            }
        }
    }

    /// <summary>
    /// Gets a regular expression that must match a module's whole path, or <c>all-linear</c>. Setting it clears
    /// <see cref="TargetModules"/>.
    /// </summary>
    [JsonIgnore]
    public string? TargetModulesRegex
    {
        get => _targetModulesRegex;
        init
        {
            _targetModulesRegex = value;
            if (value is not null)
            {
                _targetModules = null;
            }
        }
    }

    /// <summary>Gets <see cref="TargetModules"/> or <see cref="TargetModulesRegex"/> in PEFT's JSON form (a list or a string).</summary>
    [JsonPropertyName("target_modules")]
    public JsonElement TargetModulesJson
    {
        get => TargetModules is not null ? JsonSerializer.SerializeToElement(TargetModules) : JsonSerializer.SerializeToElement(TargetModulesRegex);
        init
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                _targetModules = value.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
                _targetModulesRegex = null;
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                _targetModules = null;
                _targetModulesRegex = value.GetString();
            }
        }
    }

    /// <summary>Gets whether the target layers store weights <c>[in, out]</c> (GPT-2's Conv1D: always true here).</summary>
    [JsonPropertyName("fan_in_fan_out")]
    public bool FanInFanOut { get; init; } = true;

    /// <summary>Gets which biases train.</summary>
    [JsonPropertyName("bias")]
    public LoraBias Bias { get; init; } = LoraBias.None;

    /// <summary>Gets whether rank-stabilised scaling alpha / √r is used instead of alpha / r.</summary>
    [JsonPropertyName("use_rslora")]
    public bool UseRsLora { get; init; }

    /// <summary>Gets how A and B start.</summary>
    [JsonIgnore]
    public LoraInit Init { get; init; } = LoraInit.KaimingUniform;

    /// <summary>Gets <see cref="Init"/> in PEFT's JSON form (<c>true</c> or <c>"gaussian"</c>).</summary>
    [JsonPropertyName("init_lora_weights")]
    public JsonElement InitJson
    {
        get => Init == LoraInit.Gaussian ? JsonSerializer.SerializeToElement("gaussian") : JsonSerializer.SerializeToElement(true);
        init => Init = value.ValueKind == JsonValueKind.String && value.GetString() == "gaussian" ? LoraInit.Gaussian : LoraInit.KaimingUniform;
    }

    /// <summary>Gets per-module ranks: a pattern (matched as PEFT does, <c>(.*\.)?pattern$</c>) → rank.</summary>
    [JsonPropertyName("rank_pattern")]
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets per-module alphas: a pattern → alpha.</summary>
    [JsonPropertyName("alpha_pattern")]
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets modules (by name or path suffix) whose full weights train and are saved with the adapter.</summary>
    [JsonPropertyName("modules_to_save")]
    public IReadOnlyList<string>? ModulesToSave { get; init; }

    /// <summary>Gets the base model's name or path, for the record.</summary>
    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>Gets whether the adapter was saved for inference only.</summary>
    [JsonPropertyName("inference_mode")]
    public bool InferenceMode { get; init; } = true;

    /// <summary>Returns whether the module at <paramref name="path"/> is a LoRA target.</summary>
    /// <param name="path">The module path, for example <c>transformer.h.0.attn.c_attn</c>.</param>
    /// <returns><see langword="true"/> when it is targeted.</returns>
    public bool IsTarget(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (TargetModules is not null)
        {
            return TargetModules.Any(t => path == t || path.EndsWith("." + t, StringComparison.Ordinal));
        }

        return TargetModulesRegex switch
        {
            null => false,
            AllLinear => true,
            _ => Regex.IsMatch(path, "^(?:" + TargetModulesRegex + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
        };
    }

    /// <summary>Returns whether the module at <paramref name="path"/> is one of <see cref="ModulesToSave"/>.</summary>
    /// <param name="path">The module path.</param>
    /// <returns><see langword="true"/> when its weights train and are saved.</returns>
    public bool IsModuleToSave(string path) =>
        ModulesToSave is not null && ModulesToSave.Any(t => path == t || path.EndsWith("." + t, StringComparison.Ordinal));

    /// <summary>Returns the rank for a module, from <see cref="RankPattern"/> or <see cref="Rank"/>.</summary>
    /// <param name="path">The module path.</param>
    /// <returns>The rank.</returns>
    public int RankFor(string path) => Lookup(RankPattern, path, Rank);

    /// <summary>Returns the scaling alpha / r (or alpha / √r) for a module.</summary>
    /// <param name="path">The module path.</param>
    /// <returns>The scaling factor.</returns>
    public double ScalingFor(string path)
    {
        var rank = RankFor(path);
        var alpha = Lookup(AlphaPattern, path, Alpha);
        return UseRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;
    }

    /// <summary>Checks the settings and throws one error listing every problem.</summary>
    /// <exception cref="NotSupportedException">A setting is invalid or not supported.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (PeftType != "LORA") problems.Add($"peft_type '{PeftType}' is not LORA");
        if (Rank < 1) problems.Add($"r must be positive (is {Rank})");
        if (Dropout is < 0 or >= 1) problems.Add($"lora_dropout must be in [0, 1) (is {Dropout})");
        if (TargetModules is null && string.IsNullOrEmpty(TargetModulesRegex)) problems.Add("target_modules is empty: name modules (for example [\"c_attn\"]), give a regex, or use \"all-linear\"");
        if (!FanInFanOut) problems.Add("fan_in_fan_out must be true for GPT-2's Conv1D layers");
        foreach (var (pattern, rank) in RankPattern)
        {
            if (rank < 1) problems.Add($"rank_pattern['{pattern}'] must be positive (is {rank})");
        }

        if (problems.Count > 0)
        {
            throw new NotSupportedException("Invalid LoRA configuration: " + string.Join("; ", problems) + ".");
        }
    }

    private static T Lookup<T>(IReadOnlyDictionary<string, T> patterns, string path, T fallback)
    {
        foreach (var (pattern, value) in patterns)
        {
            if (Regex.IsMatch(path, "^(.*\\.)?" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                return value;
            }
        }

        return fallback;
    }
}
