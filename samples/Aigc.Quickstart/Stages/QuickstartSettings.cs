namespace Aigc.Quickstart.Stages;

/// <summary>How big the Quickstart's run is: the README's run uses <see cref="Default"/>, the test a smaller one.</summary>
internal sealed record QuickstartSettings
{
    /// <summary>The settings of <c>dotnet run --project samples/Aigc.Quickstart</c>.</summary>
    public static QuickstartSettings Default { get; } = new();

    /// <summary>Products in the synthetic export (two descriptions each, plus duplicates).</summary>
    public int Products { get; init; } = 600;

    /// <summary>Optimizer steps of the base pretraining.</summary>
    public int PretrainSteps { get; init; } = 160;

    /// <summary>Optimizer steps of the LoRA fine-tuning.</summary>
    public int LoraSteps { get; init; } = 120;

    /// <summary>Held-out Aurora products scored by the evaluation and the quality gate.</summary>
    public int HeldOut { get; init; } = 24;

    /// <summary>Concurrent requests of the serving stage.</summary>
    public int ServeRequests { get; init; } = 32;

    /// <summary>Prompts answered twice and rated, for preference records.</summary>
    public int RatedPairs { get; init; } = 6;

    /// <summary>Whether the training runs draw live progress bars.</summary>
    public bool ProgressBars { get; init; } = true;

    /// <summary>The quality gate's margin on the Aurora style share.</summary>
    public double GateMargin { get; init; } = 0.05;
}
