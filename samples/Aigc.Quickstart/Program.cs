using System.Diagnostics;
using Aigc;
using Aigc.Data;
using Aigc.Inference;
using Aigc.Monitoring;
using Aigc.Quickstart.Stages;
using Aigc.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The Quickstart runs the Aigc loop on embedded defaults, offline: a declarative model pipeline (curate → train →
// evaluate → export → register → quality gate, every step cached by fingerprint), then serving, feedback and a report.
var clock = Stopwatch.StartNew();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddAigc(builder.Configuration.GetSection(AigcOptions.SectionName))
    .AddData()
    .AddTraining()
    .AddInference()
    .AddModelRegistry()
    .AddMonitoring();

using var host = builder.Build();
await host.StartAsync(); // validates every Aigc option: a bad setting stops here, naming its key

var aigc = host.Services.GetRequiredService<IOptions<AigcOptions>>().Value;
var inference = host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value;
var root = aigc.GetFullRootPath();
var settings = QuickstartSettings.Default;
Console.WriteLine("Aigc Quickstart: the loop end to end, offline");
Console.WriteLine($"  root      {root}");
Console.WriteLine($"  seed      {aigc.Seed}");
Console.WriteLine($"  inference execution provider {inference.ExecutionProvider}");

var store = host.Services.GetRequiredService<IDatasetStore>();
var registry = host.Services.GetRequiredService<IModelRegistry>();
var pipeline = QuickstartPipeline.Build(store, registry, root, settings, aigc.Seed);
var printer = new PipelinePrinter();
var result = await pipeline.RunAsync(printer);
Console.WriteLine();
Console.WriteLine($"  pipeline        {printer.Ran} steps ran, {printer.Reused} reused from the cache ({pipeline.Directory})");

Console.WriteLine();
Console.WriteLine("11. serve: concurrent generation through the continuous-batching GenerationEngine (Aigc.Inference)");
var heldOut = await HeldOut.LoadAsync(store, DatasetPipelineStep.GetDataset(result[QuickstartPipeline.Catalog]), settings.HeldOut, CancellationToken.None);
var served = await ServeStage.RunAsync(registry, heldOut, settings, CancellationToken.None);

Console.WriteLine();
Console.WriteLine("12. feedback: simulated ratings in the feedback store -> next dataset versions (Aigc.Monitoring -> Aigc.Data)");
var feedback = await FeedbackStage.RunAsync(
    host.Services.GetRequiredService<IFeedbackStore>(),
    host.Services.GetRequiredService<FeedbackDatasetExporter>(),
    served,
    DatasetPipelineStep.GetDataset(result[QuickstartPipeline.Catalog]),
    settings,
    TimeProvider.System,
    CancellationToken.None);

Console.WriteLine();
Console.WriteLine("13. report: Markdown and PNG charts");
var report = ReportStage.Write(root, result, served, feedback, clock.Elapsed);
Console.WriteLine($"  written         {report} (+ loss.png, quality.png)");
Console.WriteLine();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F0} s. Run it again: every pipeline step and dataset version is reused.");

await host.StopAsync();
