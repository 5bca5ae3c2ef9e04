namespace Aigc.Inference;

/// <summary>Vocabulary-sized work buffers of the engine thread, shared by every request's sampler (one step samples one row at a time).</summary>
internal sealed class SamplerScratch(int vocabSize)
{
    public float[] Values { get; } = new float[vocabSize];

    public float[] Keys { get; } = new float[vocabSize];

    public int[] Indices { get; } = new int[vocabSize];

    public int[] Top { get; } = new int[Math.Min(vocabSize, 64)];
}
