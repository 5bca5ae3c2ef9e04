using Aigc.Training;

namespace Aigc.Quickstart.Stages;

/// <summary>A one-line live progress bar for training runs.</summary>
internal sealed class ProgressBar(string label) : IProgress<TrainingProgress>
{
    private const int Width = 30;

    public void Report(TrainingProgress value)
    {
        var filled = value.TotalSteps == 0 ? Width : (int)((double)value.Step / value.TotalSteps * Width);
        var bar = new string('█', filled) + new string('·', Width - filled);
        var eval = value.EvalLoss is { } e ? $" eval {e:F3}" : string.Empty;
        Console.Write($"\r  {label,-14} [{bar}] {value.Step,4}/{value.TotalSteps} loss {value.Loss:F3}{eval} lr {value.LearningRate:0.0e0} {value.TokensPerSecond,6:F0} tok/s ETA {value.Eta:mm\\:ss}   ");
        if (value.Step == value.TotalSteps)
        {
            Console.WriteLine();
        }
    }
}
