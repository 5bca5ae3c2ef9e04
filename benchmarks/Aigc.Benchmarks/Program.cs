using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line, for example:
//   dotnet run -c Release --project benchmarks/Aigc.Benchmarks -- --filter '*Dedup*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
