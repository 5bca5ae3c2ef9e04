namespace Aigc.Training;

/// <summary>The learning-rate schedule after warm-up, with the Hugging Face Trainer's formulas.</summary>
public enum LearningRateSchedule
{
    /// <summary>Constant after a linear warm-up.</summary>
    Constant = 0,

    /// <summary>Linear decay to 0: <c>max(0, (T − step) / max(1, T − W))</c>.</summary>
    Linear = 1,

    /// <summary>Cosine decay to 0: <c>max(0, 0.5·(1 + cos(π·p)))</c> with <c>p = (step − W) / (T − W)</c>.</summary>
    Cosine = 2,
}
