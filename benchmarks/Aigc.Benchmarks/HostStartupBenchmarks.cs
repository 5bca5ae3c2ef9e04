using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Benchmarks;

/// <summary>What AddAigc() costs a host at start-up: registration, provider build and validated options.</summary>
[MemoryDiagnoser]
public class HostStartupBenchmarks
{
    [Benchmark(Baseline = true)]
    public int ServiceProviderOnly()
    {
        var services = new ServiceCollection();
        services.AddOptions();
        using var provider = services.BuildServiceProvider();
        return services.Count;
    }

    [Benchmark]
    public int AddAigcWithDataAndValidatedOptions()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddData();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AigcOptions>>().Value.Seed
            + provider.GetRequiredService<IOptions<global::Aigc.Data.DataOptions>>().Value.MaxRecordBytes;
    }
}
