using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Inference.Tests.Batching;

public sealed class BatchedModelValidationTests : IDisposable
{
    private readonly ModelSession _session = Models.Affine();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task A_request_larger_than_the_maximum_batch_is_rejected_before_queueing()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 4 }, _time);

        var error = Assert.Throws<ModelInputException>(() => model.InferAsync(Requests.Affine(5, 1)));

        Assert.Contains("The request has 5 rows, more than the maximum batch size 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.PendingRequests);
    }

    [Fact]
    public async Task Inputs_with_different_row_counts_are_rejected_naming_both()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 4 }, _time);
        var request = new InferenceRequest()
            .Add("x", InferenceTensor.Create<float>(new float[8], 2, 4))
            .Add("ids", InferenceTensor.Create<long>(new long[9], 3, 3));

        var error = Assert.Throws<ModelInputException>(() => model.InferAsync(request));

        Assert.Equal("ids", error.InputName);
        Assert.Contains("Input 'ids' has 3 rows, but input 'x' has 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_priority_outside_the_levels_and_a_non_positive_timeout_are_rejected()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { PriorityLevels = 2 }, _time);
        var request = Requests.Affine(1, 1);
        request.Priority = 3;

        Assert.Contains("priority 3 is not between 1 and the model's 2 priority levels", Assert.Throws<ModelInputException>(() => model.InferAsync(request)).Message, StringComparison.Ordinal);
        request.Priority = 1;
        request.Timeout = TimeSpan.Zero;
        Assert.Throws<ModelInputException>(() => model.InferAsync(request));
    }

    [Fact]
    public void A_model_with_a_fixed_batch_dimension_cannot_be_batched_and_the_error_says_how_to_fix_it()
    {
        using var fixedSession = ModelSession.LoadFromBytes(TestGraphs.FixedBatchOne(), "fixed", Models.Cpu(), null);

        var error = Assert.Throws<ModelLoadException>(() => new BatchedModel(fixedSession, new BatchingOptions(), _time));

        Assert.Contains("Input 'x' of model 'fixed' has the fixed shape [1, 2, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxModelPreparation.MakeBatchDimensionSymbolic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var options = new BatchingOptions { MaxBatchSize = 4, PreferredBatchSizes = { 8 }, PriorityLevels = 2, DefaultPriority = 3, ExecutorCount = 0 };

        var error = Assert.Throws<ArgumentException>(() => new BatchedModel(_session, options, _time));

        Assert.Contains("ExecutorCount", error.Message, StringComparison.Ordinal);
        options.ExecutorCount = 1;
        error = Assert.Throws<ArgumentException>(() => new BatchedModel(_session, options, _time));
        Assert.Contains("The preferred batch size 8 is not between 1 and MaxBatchSize (4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("The default priority 3 is above the number of priority levels (2)", error.Message, StringComparison.Ordinal);
    }
}
