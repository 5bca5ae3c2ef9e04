using System.Text.Json.Serialization;

namespace Aigc.Training;

/// <summary>What a checkpoint records about the run, as <c>trainer_state.json</c> (names as the Hugging Face Trainer's).</summary>
internal sealed class TrainerState
{
    [JsonPropertyName("global_step")]
    public int GlobalStep { get; set; }

    [JsonPropertyName("epoch_index")]
    public int EpochIndex { get; set; }

    [JsonPropertyName("batch_in_epoch")]
    public int BatchInEpoch { get; set; }

    [JsonPropertyName("max_steps")]
    public int MaxSteps { get; set; }

    [JsonPropertyName("best_metric")]
    public double? BestMetric { get; set; }

    [JsonPropertyName("best_model_checkpoint")]
    public string? BestModelCheckpoint { get; set; }

    [JsonPropertyName("evals_without_improvement")]
    public int EvalsWithoutImprovement { get; set; }

    [JsonPropertyName("last_loss")]
    public double LastLoss { get; set; }

    [JsonPropertyName("loss_history")]
    public List<double[]> LossHistory { get; set; } = [];

    [JsonPropertyName("eval_history")]
    public List<double[]> EvalHistory { get; set; } = [];

    [JsonPropertyName("method")]
    public string Method { get; set; } = string.Empty;
}
