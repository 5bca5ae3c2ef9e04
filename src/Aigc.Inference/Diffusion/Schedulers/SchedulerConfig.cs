using System.Globalization;
using System.Text.Json;

namespace Aigc.Inference;

/// <summary>
/// The fields of a diffusers <c>scheduler_config.json</c> the schedulers read. A field the file leaves out is
/// <see langword="null"/> here, and each scheduler applies the default of its own diffusers class (they differ: DDIM
/// spaces timesteps <c>leading</c> and clips samples by default, the others space them <c>linspace</c>).
/// </summary>
internal sealed class SchedulerConfig
{
    private double[]? _alphasCumprod;

    /// <summary>Gets the diffusers class the file names (<c>_class_name</c>), if any.</summary>
    public string? ClassName { get; init; }

    public int NumTrainTimesteps { get; init; } = 1000;

    public double BetaStart { get; init; } = 0.0001;

    public double BetaEnd { get; init; } = 0.02;

    public string BetaSchedule { get; init; } = "linear";

    public double[]? TrainedBetas { get; init; }

    public string PredictionType { get; init; } = "epsilon";

    public string? TimestepSpacing { get; init; }

    public int StepsOffset { get; init; }

    public bool? SetAlphaToOne { get; init; }

    public bool? ClipSample { get; init; }

    public double ClipSampleRange { get; init; } = 1.0;

    /// <summary>Gets the cumulative products ᾱ_t = ∏_{s≤t} (1 − β_s), t = 0 … T − 1, computed in double precision.</summary>
    public double[] AlphasCumprod => _alphasCumprod ??= NoiseSchedule.AlphasCumprod(this);

    /// <summary>Reads a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, a field has the wrong type, or a setting is not supported.</exception>
    public static SchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The scheduler configuration '{path}' does not exist; a diffusers model folder has it at scheduler/scheduler_config.json.", path);
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }

    /// <summary>Parses the JSON text of a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The text is not JSON, a field has the wrong type, or a setting is not supported.</exception>
    public static SchedulerConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException("The scheduler configuration is not valid JSON: " + exception.Message, exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("The scheduler configuration is not a JSON object.");
            }

            foreach (var unsupported in new[] { "rescale_betas_zero_snr", "use_karras_sigmas", "thresholding", "use_exponential_sigmas", "use_beta_sigmas" })
            {
                if (root.TryGetProperty(unsupported, out var flag) && flag.ValueKind == JsonValueKind.True)
                {
                    throw new InvalidDataException($"'{unsupported}: true' is not supported; set it to false or remove it.");
                }
            }

            var config = new SchedulerConfig
            {
                ClassName = String(root, "_class_name"),
                NumTrainTimesteps = (int)(Number(root, "num_train_timesteps") ?? 1000),
                BetaStart = Number(root, "beta_start") ?? 0.0001,
                BetaEnd = Number(root, "beta_end") ?? 0.02,
                BetaSchedule = String(root, "beta_schedule") ?? "linear",
                TrainedBetas = Numbers(root, "trained_betas"),
                PredictionType = String(root, "prediction_type") ?? "epsilon",
                TimestepSpacing = String(root, "timestep_spacing"),
                StepsOffset = (int)(Number(root, "steps_offset") ?? 0),
                SetAlphaToOne = Boolean(root, "set_alpha_to_one"),
                ClipSample = Boolean(root, "clip_sample"),
                ClipSampleRange = Number(root, "clip_sample_range") ?? 1.0,
            };
            config.Check();
            return config;
        }
    }

    /// <summary>Gets the timestep spacing, or <paramref name="fallback"/> (the scheduler class's default) when the file gives none.</summary>
    public string Spacing(string fallback) => TimestepSpacing ?? fallback;

    private void Check()
    {
        if (NumTrainTimesteps < 2)
        {
            throw new InvalidDataException($"num_train_timesteps is {NumTrainTimesteps}; it must be at least 2.");
        }

        if (TrainedBetas is null && BetaSchedule is not ("linear" or "scaled_linear" or "squaredcos_cap_v2"))
        {
            throw new InvalidDataException($"beta_schedule '{BetaSchedule}' is not supported; use linear, scaled_linear or squaredcos_cap_v2.");
        }

        if (TrainedBetas is not null && TrainedBetas.Length != NumTrainTimesteps)
        {
            throw new InvalidDataException($"trained_betas has {TrainedBetas.Length} values but num_train_timesteps is {NumTrainTimesteps}.");
        }

        if (PredictionType is not ("epsilon" or "v_prediction" or "sample"))
        {
            throw new InvalidDataException($"prediction_type '{PredictionType}' is not supported; use epsilon, v_prediction or sample.");
        }

        if (TimestepSpacing is not (null or "leading" or "trailing" or "linspace"))
        {
            throw new InvalidDataException($"timestep_spacing '{TimestepSpacing}' is not supported; use leading, trailing or linspace.");
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidDataException($"'{name}' must be a string.")
            : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new InvalidDataException($"'{name}' must be a number.")
            : null;

    private static bool? Boolean(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new InvalidDataException($"'{name}' must be true or false.")
            : null;

    private static double[]? Numbers(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"'{name}' must be an array of numbers.");
        }

        var numbers = new double[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            numbers[i++] = item.ValueKind == JsonValueKind.Number
                ? item.GetDouble()
                : throw new InvalidDataException($"'{name}' must be an array of numbers; item {i.ToString(CultureInfo.InvariantCulture)} is not.");
        }

        return numbers;
    }
}
