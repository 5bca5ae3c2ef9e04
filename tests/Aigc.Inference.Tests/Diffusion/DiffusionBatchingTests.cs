using System.Diagnostics.Metrics;

namespace Aigc.Inference.Tests.Diffusion;

/// <summary>Concurrent requests share UNet calls, and each gets the images it gets alone.</summary>
public sealed class DiffusionBatchingTests(TinyDiffusionFixture model) : IClassFixture<TinyDiffusionFixture>
{
    [Fact]
    public async Task Four_concurrent_requests_share_every_unet_call_and_get_what_they_get_alone()
    {
        DiffusionRequest[] requests =
        [
            DiffusionPipelineTests.Request(seed: 1, prompt: "a red cat"),
            DiffusionPipelineTests.Request(seed: 2, prompt: "a dog", guidance: 1f),
            DiffusionPipelineTests.Request(seed: 3, prompt: "red", negative: "cat", guidance: 4f),
            DiffusionPipelineTests.Request(seed: 4, prompt: "cat dog", images: 2, scheduler: DiffusionSchedulerKind.EulerAncestralDiscrete),
        ];
        await using var pipeline = model.Pipeline();
        var alone = new List<DiffusionResult>();
        foreach (var request in requests)
        {
            alone.Add(await pipeline.GenerateAsync(request));
        }

        var callsBefore = pipeline.UnetCalls;
        var rowsBefore = pipeline.UnetRows;
        pipeline.PauseDenoising();
        var tasks = requests.Select(r => pipeline.GenerateAsync(r)).ToArray();
        await Eventually(() => pipeline.WaitingRequests == 4);
        pipeline.ResumeDenoising();
        var together = await Task.WhenAll(tasks);

        // 4 steps, one call each for all four requests: 2 + 1 + 2 + 4 rows a call.
        Assert.Equal(4, pipeline.UnetCalls - callsBefore);
        Assert.Equal(4 * 9, pipeline.UnetRows - rowsBefore);
        for (var r = 0; r < requests.Length; r++)
        {
            Assert.Equal(alone[r].Images.Count, together[r].Images.Count);
            for (var i = 0; i < alone[r].Images.Count; i++)
            {
                DiffusionPipelineTests.AssertNear(alone[r].Images[i].Rgb.Span, together[r].Images[i].Rgb.Span);
            }
        }
    }

    [Fact]
    public async Task Requests_of_different_sizes_and_step_counts_share_the_loop_in_separate_or_shared_calls()
    {
        await using var pipeline = model.Pipeline();
        var small = DiffusionPipelineTests.Request(seed: 1, steps: 3);
        var large = DiffusionPipelineTests.Request(seed: 1, width: 48, steps: 5);
        var longer = DiffusionPipelineTests.Request(seed: 2, steps: 6);
        var aloneSmall = await pipeline.GenerateAsync(small);
        var aloneLarge = await pipeline.GenerateAsync(large);
        var aloneLonger = await pipeline.GenerateAsync(longer);

        var callsBefore = pipeline.UnetCalls;
        pipeline.PauseDenoising();
        var tasks = new[] { small, large, longer }.Select(r => pipeline.GenerateAsync(r)).ToArray();
        await Eventually(() => pipeline.WaitingRequests == 3);
        pipeline.ResumeDenoising();
        var results = await Task.WhenAll(tasks);

        // 32×32 requests (3 and 6 steps) share 6 calls; the 48-wide one needs its own 5.
        Assert.Equal(11, pipeline.UnetCalls - callsBefore);
        DiffusionPipelineTests.AssertNear(aloneSmall.Images[0].Rgb.Span, results[0].Images[0].Rgb.Span);
        DiffusionPipelineTests.AssertNear(aloneLarge.Images[0].Rgb.Span, results[1].Images[0].Rgb.Span);
        DiffusionPipelineTests.AssertNear(aloneLonger.Images[0].Rgb.Span, results[2].Images[0].Rgb.Span);
    }

    [Fact]
    public async Task A_request_that_does_not_fit_waits_until_rows_free_up()
    {
        await using var pipeline = model.Pipeline(maxBatchSize: 4);
        pipeline.PauseDenoising();
        var first = pipeline.GenerateAsync(DiffusionPipelineTests.Request(seed: 1, images: 2));
        var second = pipeline.GenerateAsync(DiffusionPipelineTests.Request(seed: 2, images: 2));
        await Eventually(() => pipeline.WaitingRequests == 2);
        pipeline.ResumeDenoising();
        await Task.WhenAll(first, second);

        // Each needs all four rows, so they ran one after the other: 2 × 4 calls of 4 rows.
        Assert.Equal(8, pipeline.UnetCalls);
        Assert.Equal(32, pipeline.UnetRows);
        Assert.True((await second).QueueTime > TimeSpan.Zero);
    }

    [Fact]
    public async Task Metrics_record_steps_queue_time_and_images()
    {
        var measurements = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GenerationMetricNames.MeterName && instrument.Name.StartsWith("aigc.inference.diffusion", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (measurements) { measurements.Add((i.Name, v)); } });
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (measurements) { measurements.Add((i.Name, v)); } });
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => { lock (measurements) { measurements.Add((i.Name, v)); } });
        listener.Start();
        await using var pipeline = model.Pipeline();

        await pipeline.GenerateAsync(DiffusionPipelineTests.Request(seed: 1, images: 2, steps: 3));

        lock (measurements)
        {
            Assert.Equal(3, measurements.Count(m => m.Name == DiffusionMetricNames.StepDuration && m.Value > 0));
            Assert.Equal(3, measurements.Count(m => m.Name == DiffusionMetricNames.BatchRows && m.Value == 4));
            Assert.Single(measurements, m => m.Name == DiffusionMetricNames.QueueDuration);
            Assert.Single(measurements, m => m.Name == DiffusionMetricNames.RequestDuration);
            Assert.Equal(2, measurements.Single(m => m.Name == DiffusionMetricNames.Images).Value);
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 20 s.");
            await Task.Delay(5);
        }
    }
}
