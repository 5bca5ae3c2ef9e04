using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Inference.Tests.Batching;

public sealed class PaddingTests : IDisposable
{
    private readonly ModelSession _session = Models.Sequence();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Sequences_of_different_lengths_are_padded_masked_and_trimmed_back_to_each_callers_rows()
    {
        var options = new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1), MaskInput = "attention_mask", PadValues = { ["input_ids"] = 7 } };
        await using var model = new BatchedModel(_session, options, _time);
        var requests = new[] { Requests.Tokens(1, 2, 1), Requests.Tokens(2, 5, 2), Requests.Tokens(1, 3, 3) };

        var results = await Task.WhenAll(requests.Select(r => model.InferAsync(r).AsTask()));

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(4, results[i].BatchRows);
            Models.AssertSameOutputs(_session.Run(Requests.WithFullMask(requests[i])), results[i]);
        }

        Assert.Equal([1L, 2L], results[0]["masked"].Shape.ToArray());
        Assert.Equal([2L, 5L], results[1]["masked"].Shape.ToArray());
    }

    [Fact]
    public async Task A_mask_the_caller_sends_is_padded_with_zeros()
    {
        var options = new BatchingOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromHours(1), MaskInput = "attention_mask", PadValues = { ["input_ids"] = 0 } };
        await using var model = new BatchedModel(_session, options, _time);
        var partial = Requests.Tokens(1, 4, 1).Add("attention_mask", InferenceTensor.Create<long>(new long[] { 1, 1, 0, 0 }, 1, 4));
        var longer = Requests.Tokens(1, 6, 2);

        var results = await Task.WhenAll(model.InferAsync(partial).AsTask(), model.InferAsync(longer).AsTask());

        Models.AssertSameOutputs(_session.Run(partial), results[0]);
        Models.AssertSameOutputs(_session.Run(Requests.WithFullMask(longer)), results[1]);
    }

    [Fact]
    public void Padding_an_input_without_a_sequence_dimension_fails_at_construction()
    {
        using var affine = Models.Affine();

        var error = Assert.Throws<ModelLoadException>(() => new BatchedModel(affine, new BatchingOptions { PadValues = { ["x"] = 0 } }, _time));

        Assert.Contains("padding applies to a symbolic second (sequence) dimension", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelLoadException>(() => new BatchedModel(affine, new BatchingOptions { PadValues = { ["nope"] = 0 } }, _time));
        Assert.Throws<ModelLoadException>(() => new BatchedModel(affine, new BatchingOptions { MaskInput = "nope" }, _time));
    }
}
