using System.Diagnostics.Metrics;
using Aigc.Data;
using Aigc.Training.Tests.Trainer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Aigc.Training.Tests.DependencyInjection;

[Collection(TorchSerialCollection.Name)]
public sealed class TrainingServicesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-di-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IHost BuildHost(ListLoggerProvider? logs = null, TimeProvider? clock = null, bool addData = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:RootPath"] = _root,
            ["Aigc:Training:CheckpointsDirectory"] = "runs",
            ["Aigc:Training:Device"] = "cpu",
        });
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddMetrics();
        var aigc = builder.Services.AddAigc(builder.Configuration.GetSection("Aigc"));
        if (addData)
        {
            aigc.AddData();
        }

        aigc.AddTraining().AddTraining();
        return builder.Build();
    }

    [Fact]
    public async Task A_host_creates_trainers_with_its_logging_metrics_clock_and_configured_defaults()
    {
        var logs = new ListLoggerProvider();
        using var host = BuildHost(logs, new SteppingClock(TimeSpan.FromSeconds(10)));
        await host.StartAsync();

        var factory = host.Services.GetRequiredService<CausalLmTrainerFactory>();
        Assert.Single(host.Services.GetServices<CausalLmTrainerFactory>());
        Assert.Contains(host.Services.GetServices<IValidateOptions<TrainingOptions>>(), v => v is TorchSharpStartupCheck);
        Assert.Equal(Path.Combine(_root, "runs"), factory.CheckpointsRoot);
        var options = factory.CreateOptions("tiny") with { MaxSteps = 3, BatchSize = 4 };
        Assert.Equal(Path.Combine(_root, "runs", "tiny"), options.OutputDirectory);
        Assert.Equal("cpu", options.Device);
        Assert.Throws<ArgumentException>(() => factory.CreateOptions("../escape"));

        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        long steps = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TrainingTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == TrainingTelemetry.Steps)
            {
                Interlocked.Add(ref steps, value);
            }
        });
        listener.Start();

        var reports = new List<TrainingProgress>();
        using (var trainer = factory.Create(TrainerTestKit.Lora(seed: 1), options))
        {
            await trainer.TrainAsync(SyntheticCorpus.CorpusB(8, 16, seed: 1), progress: new CallbackProgress(reports.Add));
        }

        Assert.Equal(3, Interlocked.Read(ref steps));
        Assert.Contains(logs.Entries, e => e.Category == typeof(CausalLmTrainer).FullName && e.Message.StartsWith("Finished training at step 3", StringComparison.Ordinal));
        // The host's clock moves 10 s at each reading: a few hundred tokens make well under 100 tokens a second.
        Assert.All(reports, r => Assert.True(r.TokensPerSecond < 100, $"{r.TokensPerSecond} tokens/s: the trainer did not use the host's clock"));
        Assert.True(File.Exists(Path.Combine(_root, "runs", "tiny", "final", LoraModel.WeightsFile)));
        await host.StopAsync();
    }

    [Fact]
    public async Task The_data_loader_reads_a_stored_dataset_version_and_a_tokens_file_that_a_GPT2_vocabulary_model_trains_on()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDatasetStore>();
        await using (var writer = await store.BeginWriteAsync(new DatasetVersionRequest { Name = "counting", Fingerprint = "f1", Kind = RecordKind.Instruction }))
        {
            for (var i = 0; i < 6; i++)
            {
                await writer.WriteAsync(DataRecord.CreateInstruction($"r{i}", "Count from " + i, "", string.Join(' ', Enumerable.Range(i, 5))), "all");
            }

            await writer.CommitAsync(new DatasetCounts { In = 6, Kept = 6 });
        }

        var tokenizer = RecordTokenizer.CreateGpt2();
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 32 });
        var loader = host.Services.GetRequiredService<TrainingDataLoader>();

        var fromStore = await loader.ReadDatasetAsync("counting", 1, null, tokenizer, packer);
        await TokenizeAndPack.WriteAsync(store.ReadAsync("counting", 1), tokenizer, packer, Path.Combine(_root, "data", "counting.tokens"));
        var fromFile = await loader.ReadTokensAsync(Path.Combine("data", "counting.tokens"));

        Assert.NotEmpty(fromStore);
        Assert.Equal(fromStore.Count, fromFile.Count);
        for (var i = 0; i < fromStore.Count; i++)
        {
            Assert.Equal(fromStore[i].InputIds.ToArray(), fromFile[i].InputIds.ToArray());
            Assert.Equal(fromStore[i].Labels.ToArray(), fromFile[i].Labels.ToArray());
        }

        Assert.Contains(fromFile.SelectMany(s => s.Labels.ToArray()), label => label == RecordTokenizer.IgnoreIndex);

        torch.manual_seed(2);
        var model = new Gpt2LanguageModel(new Gpt2Config { Positions = 64, EmbeddingSize = 16, Layers = 1, Heads = 2 });
        var factory = host.Services.GetRequiredService<CausalLmTrainerFactory>();
        using var trainer = factory.Create(LoraModel.Create(model, new LoraConfig { Rank = 2 }), factory.CreateOptions("gpt2-vocab") with { MaxSteps = 2, BatchSize = 2, LearningRate = 1e-2 });
        var result = await trainer.TrainAsync(fromFile);
        Assert.Equal(2, result.Steps);
        Assert.True(double.IsFinite(result.TrainLoss) && result.TrainLoss > 0);
        await host.StopAsync();
    }

    [Fact]
    public void The_host_gives_one_ONNX_quantizer_that_logs_what_it_did()
    {
        var logs = new ListLoggerProvider();
        using var host = BuildHost(logs);
        using var model = Export.OnnxTestModels.Create(seed: 35);
        var source = Path.Combine(_root, "model.onnx");
        OnnxExporter.Export(model, source);

        #region quantize
        var quantizer = host.Services.GetRequiredService<OnnxQuantizer>();
        var result = quantizer.Quantize(
            source,
            Path.Combine(_root, "model-int8.onnx"),
            new OnnxQuantizationOptions { Method = OnnxQuantizationMethod.DynamicInt8, MinimumWeightElements = 64 },
            new Progress<OnnxQuantizationProgress>(p => Console.WriteLine($"{p.Completed}/{p.Total} {p.Weight}")));
        #endregion

        Assert.Same(quantizer, host.Services.GetRequiredService<OnnxQuantizer>());

        Assert.Equal(OnnxQuantizationMethod.DynamicInt8, result.Method);
        Assert.Contains(logs.Entries, e => e.Category == typeof(OnnxQuantizer).FullName && e.Message.Contains("DynamicInt8", StringComparison.Ordinal) && e.Message.Contains("9 weights", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_a_stored_dataset_without_the_data_services_says_to_add_them()
    {
        using var host = BuildHost(addData: false);
        await host.StartAsync();
        var loader = host.Services.GetRequiredService<TrainingDataLoader>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loader.ReadDatasetAsync("counting", 1, null, RecordTokenizer.CreateGpt2(), new SequencePacker()));
        Assert.Contains("AddData()", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    /// <summary>A clock that moves a fixed amount at every reading.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}

/// <summary>Collects log entries (category and formatted message).</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, string Message)> _entries = [];

    public IReadOnlyList<(string Category, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider._entries)
            {
                provider._entries.Add((category, formatter(state, exception)));
            }
        }
    }
}
