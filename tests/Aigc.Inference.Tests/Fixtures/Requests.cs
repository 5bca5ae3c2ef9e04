namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Builds requests for the test graphs.</summary>
internal static class Requests
{
    /// <summary>A request for <see cref="TestGraphs.Affine"/> with <paramref name="rows"/> rows derived from <paramref name="seed"/>.</summary>
    public static InferenceRequest Affine(int rows, int seed)
    {
        var x = new float[rows * 4];
        var ids = new long[rows * 3];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = ((seed * 31) + (i * 7)) % 101 / 8f;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ((seed * 17) + (i * 3)) % 1000;
        }

        return new InferenceRequest()
            .Add("x", InferenceTensor.Create<float>(x, rows, 4))
            .Add("ids", InferenceTensor.Create<long>(ids, rows, 3));
    }

    /// <summary>A request for <see cref="TestGraphs.Sequence"/>: <paramref name="rows"/> rows of <paramref name="length"/> token ids, no mask.</summary>
    public static InferenceRequest Tokens(int rows, int length, int seed)
    {
        var ids = new long[rows * length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ((seed * 13) + i) % 50;
        }

        return new InferenceRequest().Add("input_ids", InferenceTensor.Create<long>(ids, rows, length));
    }

    /// <summary>Adds an all-ones mask, as an unbatched caller would send it.</summary>
    public static InferenceRequest WithFullMask(InferenceRequest request)
    {
        var ids = request.Inputs["input_ids"];
        var mask = new long[ids.ElementCount];
        Array.Fill(mask, 1L);
        var copy = new InferenceRequest().Add("input_ids", ids).Add("attention_mask", InferenceTensor.Create<long>(mask, ids.Shape));
        return copy;
    }
}
