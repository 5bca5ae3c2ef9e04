using System.Globalization;
using Aigc.Data;

namespace Aigc.Training.Tests.Pipeline;

/// <summary>A step that counts its runs, outputs its parameter, and can be told to fail (a crash in the middle of a pipeline).</summary>
internal sealed class CountingStep(string id, IReadOnlyList<string> inputs, string setting = "a") : ModelPipelineStep(id)
{
    public int Runs { get; private set; }

    public bool Fail { get; set; }

    public string Setting { get; set; } = setting;

    public override IReadOnlyList<string> Inputs => inputs;

    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new StepParameters().Add("setting", Setting));

    public override Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        Runs++;
        if (Fail)
        {
            throw new IOException($"Step {Id} crashed.");
        }

        File.WriteAllText(Path.Combine(context.WorkDirectory, "out.txt"), Setting);
        return Task.FromResult(new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string> { ["setting"] = Setting, ["inputs"] = string.Join(",", Inputs.Select(i => context.GetOutput(i).Values.GetValueOrDefault("setting", i))) },
            Metrics = new Dictionary<string, double> { ["runs"] = Runs },
        });
    }
}

/// <summary>Stands in for an ONNX export: a folder with one file whose content names the model (so each "export" registers distinct bytes).</summary>
internal sealed class FakeExportStep(string id, string content) : ModelPipelineStep(id)
{
    public override IReadOnlyList<string> Inputs => [];

    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new StepParameters().Add("content", content));

    public override Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(context.WorkDirectory, "onnx");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "model.onnx"), content);
        return Task.FromResult(new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [ExportOnnxPipelineStep.DirectoryKey] = directory,
                [ExportOnnxPipelineStep.ModelPathKey] = Path.Combine(directory, "model.onnx"),
            },
        });
    }
}

/// <summary>A held-out "evaluation" that scores a registered version by reading its artifact: the score is written in the file.</summary>
internal sealed class ArtifactScoreEvaluator(IModelRegistry registry)
{
    public int Calls { get; private set; }

    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        Calls++;
        var path = await registry.GetArtifactPathAsync(version.Name, version.Version, "model.onnx", cancellationToken);
        var score = double.Parse((await File.ReadAllTextAsync(path, cancellationToken)).Split(':')[1], CultureInfo.InvariantCulture);
        return new Dictionary<string, double> { ["style"] = score, ["bleu"] = score * 100 };
    }
}
