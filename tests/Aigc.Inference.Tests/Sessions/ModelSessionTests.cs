using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference.Tests.Sessions;

public sealed class ModelSessionTests
{
    [Fact]
    public void Metadata_exposes_names_element_types_and_shapes()
    {
        using var session = Models.Affine();

        var metadata = session.Metadata;
        Assert.Equal(["x", "ids"], metadata.InputNames);
        Assert.Equal(["y", "z"], metadata.OutputNames);
        var x = metadata.Inputs[0];
        Assert.Equal(TensorElementType.Float, x.ElementType);
        Assert.Equal([-1L, 4L], x.Dimensions);
        Assert.Equal("batch", x.SymbolicDimensions[0]);
        Assert.True(x.HasBatchDimension);
        Assert.Equal("[batch, 4]", x.FormatShape());
        Assert.Equal(TensorElementType.Int64, metadata.Outputs[1].ElementType);
        Assert.Equal("aigc-tests", metadata.ProducerName);
        Assert.Equal(3, metadata.Version);
        Assert.Equal("affine", session.Name);
    }

    [Fact]
    public void Run_computes_every_output_of_the_request()
    {
        using var session = Models.Affine();
        var request = new InferenceRequest()
            .Add("x", InferenceTensor.Create<float>(new float[] { 1, 2, 3, 4, -1, -2, -3, -4 }, 2, 4))
            .Add("ids", InferenceTensor.Create<long>(new long[] { 1, 0, 0, 0, 1, 1 }, 2, 3));

        var result = session.Run(request);

        Assert.Equal(2, result.Rows);
        Assert.Equal(new float[] { 1.5f, 2f, -2.75f, 24f, 0.5f, -6f, 3.25f, -8f }, result.GetOutput<float>("y").Span.ToArray());
        Assert.Equal(new long[] { 1, 2, 8, 10 }, result.GetOutput<long>("z").Span.ToArray());
        Assert.Equal([2L, 2L], result["z"].Shape.ToArray());
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_with_one_warning()
    {
        var logger = new ListLogger();

        using var session = ModelSession.LoadFromBytes(TestGraphs.Affine(), "affine", new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Auto }, logger);

        Assert.Equal(ExecutionProvider.Cpu, session.ExecutionProvider);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("CUDA is not available for model 'affine'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_fails_loudly_when_cuda_is_missing()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelSession.LoadFromBytes(TestGraphs.Affine(), "affine", new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cuda }, null));

        Assert.Contains("CUDA execution provider, which is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpu_loads_without_warnings_and_every_option_is_applied_without_error()
    {
        var logger = new ListLogger();
        var options = new ModelSessionOptions
        {
            ExecutionProvider = ExecutionProvider.Cpu,
            GraphOptimization = GraphOptimization.Disabled,
            ExecutionMode = SessionExecutionMode.Parallel,
            IntraOpThreads = 1,
            InterOpThreads = 1,
            EnableMemoryArena = false,
        };

        using var session = ModelSession.LoadFromBytes(TestGraphs.Affine(), "affine", options, logger);

        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(logger.Entries, e => e.Message.Contains("Loaded model 'affine' on Cpu", StringComparison.Ordinal));
        Assert.Equal(2, session.Run(Requests.Affine(2, 1)).Rows);
    }

    [Fact]
    public void The_warm_up_runs_at_load_and_a_failing_one_says_how_to_turn_it_off()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelSession.LoadFromBytes(TestGraphs.Triples(), "triples", Models.Cpu(warmUp: true), null));

        Assert.Contains("The warm-up run of model 'triples' failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("set WarmUp to false", error.Message, StringComparison.Ordinal);
        using var session = ModelSession.LoadFromBytes(TestGraphs.Triples(), "triples", Models.Cpu(warmUp: false), null);
        var result = session.Run(new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[6], 1, 6)));
        Assert.Equal([2L, 3L], result["y"].Shape.ToArray());
    }

    [Fact]
    public void Bytes_that_are_not_a_model_fail_with_a_load_error()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelSession.LoadFromBytes([1, 2, 3, 4], "junk", Models.Cpu(), null));

        Assert.Contains("could not load model 'junk'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelSession.Load("/nonexistent/model.onnx", Models.Cpu()));

        Assert.Equal("/nonexistent/model.onnx", error.FileName);
    }

    [Fact]
    public void Run_with_a_canceled_token_throws_before_running()
    {
        using var session = Models.Affine();

        Assert.Throws<OperationCanceledException>(() => session.Run(Requests.Affine(1, 1), new CancellationToken(canceled: true)));
    }

    [Theory]
    [InlineData("unknown", "Input 'w' is not an input of the model; its inputs are: 'x' Float [batch, 4], 'ids' Int64 [batch, 3]")]
    [InlineData("missing", "Input 'ids' is missing; the model needs 'x' Float [batch, 4], 'ids' Int64 [batch, 3]")]
    [InlineData("type", "Input 'ids' has element type Int32, but the model expects Int64")]
    [InlineData("rank", "Input 'x' has rank 3 (shape [1, 2, 2]), but the model expects rank 2 ([batch, 4])")]
    [InlineData("dimension", "Input 'x' has size 5 in dimension 1 (shape [1, 5]), but the model expects 4 ([batch, 4])")]
    public void A_request_that_does_not_fit_is_rejected_before_onnx_runtime_naming_the_input(string problem, string message)
    {
        using var session = Models.Affine();
        var request = Requests.Affine(1, 1);
        switch (problem)
        {
            case "unknown":
                request.Add("w", InferenceTensor.Create<float>(new float[1], 1));
                break;
            case "missing":
                request.Inputs.Remove("ids");
                break;
            case "type":
                request.Add("ids", InferenceTensor.Create<int>(new int[3], 1, 3));
                break;
            case "rank":
                request.Add("x", InferenceTensor.Create<float>(new float[4], 1, 2, 2));
                break;
            case "dimension":
                request.Add("x", InferenceTensor.Create<float>(new float[5], 1, 5));
                break;
        }

        var error = Assert.Throws<ModelInputException>(() => session.Run(request));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(problem == "unknown" ? "w" : problem is "missing" or "type" ? "ids" : "x", error.InputName);
        Assert.Throws<ModelInputException>(() => session.Validate(request));
    }

    [Fact]
    public void Tensors_check_their_shape_against_their_data()
    {
        var error = Assert.Throws<ArgumentException>(() => InferenceTensor.Create<float>(new float[5], 2, 3));

        Assert.Contains("The shape [2, 3] needs 6 elements, but the data has 5", error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => InferenceTensor.Create<char>(new char[1], 1));
        Assert.Throws<InvalidCastException>(() => InferenceTensor.Create<float>(new float[1], 1).As<long>());
    }
}
