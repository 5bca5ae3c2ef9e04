using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.SafeTensors;

/// <summary>Writing and reading 16 MB of float32 (one 2048 × 2048 tensor) as safetensors, to a file and in memory.</summary>
[MemoryDiagnoser]
public class SafeTensorsBenchmarks
{
    private const int Side = 2048;

    private float[] _weights = [];
    private string _directory = "";
    private string _readPath = "";
    private string _writePath = "";
    private byte[] _file = [];
    private MemoryStream _memory = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _weights = new float[Side * Side];
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)random.NextDouble();
        }

        _directory = Directory.CreateTempSubdirectory("aigc-st-bench-").FullName;
        _readPath = Path.Combine(_directory, "read.safetensors");
        _writePath = Path.Combine(_directory, "write.safetensors");
        Writer().WriteToFile(_readPath);
        _file = File.ReadAllBytes(_readPath);
        _memory = new MemoryStream(_file.Length);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public long WriteToMemory()
    {
        _memory.SetLength(0);
        Writer().WriteTo(_memory);
        return _memory.Length;
    }

    [Benchmark]
    public async Task WriteToFileAsync() => await Writer().WriteToFileAsync(_writePath);

    [Benchmark]
    public float ReadFromMemory()
    {
        using var reader = SafeTensorsReader.Open(new MemoryStream(_file, writable: false));
        return reader.ReadTensor<float>("weight")[^1];
    }

    [Benchmark]
    public async Task<float> ReadFromFileAsync()
    {
        using var reader = await SafeTensorsReader.OpenAsync(_readPath);
        return (await reader.ReadTensorAsync<float>("weight"))[^1];
    }

    [Benchmark]
    public float ReadFromFile()
    {
        using var reader = SafeTensorsReader.Open(_readPath);
        return reader.ReadTensor<float>("weight")[^1];
    }

    private SafeTensorsWriter Writer() => new SafeTensorsWriter().Add("weight", [Side, Side], _weights);
}
