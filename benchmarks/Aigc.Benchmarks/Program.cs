using Aigc.Benchmarks.Data;
using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line, for example:
//   dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- --filter '*Dedup*'
// or the bounded-memory check of the data pipeline over a generated JSONL of N megabytes:
//   dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- ingest-memory 2000
// or the generation ratios measured case after case in turn (robust to a busy machine's changing load):
//   dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- generation-interleaved 10
if (args is ["ingest-memory", var megabytes, ..])
{
    return await IngestMemoryCheck.RunAsync(int.Parse(megabytes, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["generation-interleaved", var rounds, ..])
{
    return await Aigc.Benchmarks.Generation.InterleavedGenerationCheck.RunAsync(int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
}

// or prepares (trains, exports, quantizes, measures perplexity) the quantization benchmarks' cached models:
//   dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- prepare-quantization
if (args is ["prepare-quantization", ..])
{
    Aigc.Benchmarks.Optimization.QuantizationBenchmarkModels.EnsurePrepared();
    return 0;
}

// Trains and exports the models of DistillPruneBenchmarks once (they are cached in a temp folder), so the
// benchmark processes start at once:  dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- prepare-distill-prune
if (args is ["prepare-distill-prune", ..])
{
    Aigc.Benchmarks.Optimization.DistillPruneModels.EnsureBuilt();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
