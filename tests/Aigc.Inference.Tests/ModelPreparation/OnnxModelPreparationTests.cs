using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Onnx;

namespace Aigc.Inference.Tests.ModelPreparation;

public sealed class OnnxModelPreparationTests
{
    [Fact]
    public async Task A_graph_fixed_at_batch_one_serves_batches_after_preparation()
    {
        var prepared = OnnxModelPreparation.MakeBatchDimensionSymbolic(TestGraphs.FixedBatchOne());
        using var session = ModelSession.LoadFromBytes(prepared, "fixed", Models.Cpu(), null);
        Assert.Equal([-1L, 2L, 2L], session.Metadata.Inputs[0].Dimensions);
        Assert.Equal("batch", session.Metadata.Inputs[0].SymbolicDimensions[0]);
        Assert.Equal("batch", session.Metadata.Outputs[0].SymbolicDimensions[0]);
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.FromHours(1) }, new FakeTimeProvider());
        var one = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { 1, -2, 3, -4 }, 1, 2, 2));
        var two = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { -1, 2, -3, 4, 5, 6, -7, 8 }, 2, 2, 2));

        var results = await Task.WhenAll(model.InferAsync(one).AsTask(), model.InferAsync(two).AsTask());

        Assert.Equal(3, results[0].BatchRows);
        Assert.Equal(new float[] { 1, 0, 3, 0 }, results[0].GetOutput<float>("y").Span.ToArray());
        Assert.Equal(new float[] { 0, 2, 0, 4, 5, 6, 0, 8 }, results[1].GetOutput<float>("y").Span.ToArray());
        Assert.Equal([2L, 4L], results[1]["y"].Shape.ToArray());
    }

    [Fact]
    public void Inputs_outputs_intermediate_shapes_and_constant_reshapes_get_the_symbolic_batch()
    {
        var prepared = ModelProto.Parser.ParseFrom(OnnxModelPreparation.MakeBatchDimensionSymbolic(TestGraphs.FixedBatchOne(), "N"));

        var graph = prepared.Graph;
        Assert.Equal("N", graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("N", graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("N", graph.ValueInfo[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(2, graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal([0L, 4L], graph.Initializer.Single(t => t.Name == "shape").Int64Data);
    }

    [Fact]
    public void An_already_symbolic_batch_dimension_is_renamed()
    {
        var prepared = ModelProto.Parser.ParseFrom(OnnxModelPreparation.MakeBatchDimensionSymbolic(TestGraphs.Affine(batch: "N")));

        Assert.All(prepared.Graph.Input.Concat(prepared.Graph.Output), v => Assert.Equal("batch", v.Type.TensorType.Shape.Dim[0].DimParam));
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => OnnxModelPreparation.MakeBatchDimensionSymbolic([0xFF, 0xFF, 0xFF]));
        Assert.Throws<ArgumentException>(() => OnnxModelPreparation.MakeBatchDimensionSymbolic(TestGraphs.Affine(), " "));
    }

    [Fact]
    public void The_file_overload_writes_the_prepared_model()
    {
        var directory = Directory.CreateTempSubdirectory("aigc-prep-");
        try
        {
            var source = Path.Combine(directory.FullName, "fixed.onnx");
            var destination = Path.Combine(directory.FullName, "batched.onnx");
            File.WriteAllBytes(source, TestGraphs.FixedBatchOne());

            OnnxModelPreparation.MakeBatchDimensionSymbolic(source, destination);

            using var session = ModelSession.Load(destination, Models.Cpu());
            Assert.True(session.Metadata.Inputs[0].HasBatchDimension);
            Assert.Equal("batched", session.Name);
            Assert.Throws<FileNotFoundException>(() => OnnxModelPreparation.MakeBatchDimensionSymbolic(Path.Combine(directory.FullName, "none.onnx"), destination));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
