using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Loads the test graphs as sessions on the CPU.</summary>
internal static class Models
{
    public static ModelSessionOptions Cpu(bool warmUp = true) => new() { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1, WarmUp = warmUp };

    public static ModelSession Affine() => ModelSession.LoadFromBytes(TestGraphs.Affine(), "affine", Cpu());

    public static ModelSession Sequence() => ModelSession.LoadFromBytes(TestGraphs.Sequence(), "sequence", Cpu());

    /// <summary>Asserts that two results carry the same outputs, element for element.</summary>
    public static void AssertSameOutputs(InferenceResult expected, InferenceResult actual)
    {
        Assert.Equal(expected.Outputs.Count, actual.Outputs.Count);
        for (var j = 0; j < expected.Outputs.Count; j++)
        {
            var e = expected.Outputs[j];
            var a = actual.Outputs[j];
            Assert.Equal(e.ElementType, a.ElementType);
            Assert.Equal(e.Shape.ToArray(), a.Shape.ToArray());
            switch (e)
            {
                case InferenceTensor<float> f:
                    Assert.Equal(f.Span.ToArray(), a.As<float>().Span.ToArray());
                    break;
                case InferenceTensor<long> l:
                    Assert.Equal(l.Span.ToArray(), a.As<long>().Span.ToArray());
                    break;
                default:
                    throw new InvalidOperationException("Unexpected element type " + e.ElementType);
            }
        }
    }

    public static string OrtVersion => OrtEnv.Instance().GetVersionString();
}
