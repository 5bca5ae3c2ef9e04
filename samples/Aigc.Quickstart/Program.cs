using Aigc;
using Aigc.Data;
using Aigc.Quickstart.Stages;
using Aigc.Inference;
using Aigc.Monitoring;
using Aigc.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The Quickstart runs the Aigc loop on embedded defaults, offline. Each stage runs as soon as its
// layer ships it; the stages still to come are listed so the output says what the loop will do.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddAigc(builder.Configuration.GetSection(AigcOptions.SectionName))
    .AddData()
    .AddTraining()
    .AddInference()
    .AddModelRegistry()
    .AddMonitoring();

using var host = builder.Build();
await host.StartAsync(); // validates every Aigc option: a bad setting stops here, naming its key

var aigc = host.Services.GetRequiredService<IOptions<AigcOptions>>().Value;
var data = host.Services.GetRequiredService<IOptions<DataOptions>>().Value;
var training = host.Services.GetRequiredService<IOptions<TrainingOptions>>().Value;
var inference = host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value;
var monitoring = host.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value;

Console.WriteLine("Aigc Quickstart");
Console.WriteLine($"  root      {aigc.GetFullRootPath()}");
Console.WriteLine($"  seed      {aigc.Seed}");
Console.WriteLine($"  data      datasets in '{data.DatasetsDirectory}', tokenizer {data.Tokenizer}");
Console.WriteLine($"  training  device {training.Device}");
Console.WriteLine($"  inference execution provider {inference.ExecutionProvider}");
Console.WriteLine($"  monitoring sample rate {monitoring.EvaluationSampleRate:P0}");
Console.WriteLine();
Console.WriteLine("1. curate: synthetic e-commerce corpus -> clean, filter, PII, dedup, label, split, version (Aigc.Data)");
var store = host.Services.GetRequiredService<IDatasetStore>();
var dataset = await CurateStage.RunAsync(store, aigc.GetFullRootPath(), aigc.Seed, CancellationToken.None);
Console.WriteLine();
Console.WriteLine("2. train: tiny GPT-2 base, then LoRA to the Aurora brand style (Aigc.Training)");
var trained = await TrainStage.RunAsync(store, dataset, aigc.GetFullRootPath(), aigc.Seed, CancellationToken.None);
Console.WriteLine();
Console.WriteLine("3. evaluate: base vs fine-tuned on held-out products (Aigc.Monitoring quality metrics)");
var (baseFigures, tunedFigures) = await EvaluateStage.RunAsync(store, dataset, trained.BaseModel, trained.Tuned, CancellationToken.None);
Console.WriteLine();
Console.WriteLine("4. export and register: ONNX, registry with lineage, quality gate for @champion (Aigc.Training, Aigc.Inference)");
await RegisterStage.RunAsync(host.Services.GetRequiredService<IModelRegistry>(), dataset, trained.BaseDirectory, trained.Tuned, baseFigures, tunedFigures, aigc.GetFullRootPath(), CancellationToken.None);
Console.WriteLine();
Console.WriteLine("Stages still to come in the Quickstart (their layers are being built):");
string[] stages =
[
    "serve    continuous-batching generation (Aigc.Inference)",
    "feedback simulated ratings -> next dataset version (Aigc.Monitoring -> Aigc.Data)",
];
foreach (var stage in stages)
{
    Console.WriteLine($"  - {stage}");
}

await host.StopAsync();
