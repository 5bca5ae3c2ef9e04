using System.Text;

namespace Aigc.Data;

/// <summary>Per-thread working memory of <see cref="C4QualityFilter"/>, reused across records.</summary>
internal sealed class C4QualityScratch
{
    public List<TextSegment> Units { get; } = new(64);

    public StringBuilder Builder { get; } = new(1024);

    public List<(int Index, string Value)> Rewritten { get; } = new(4);

    public int[] Removed { get; } = new int[5];

    public void Reset()
    {
        Units.Clear();
        Rewritten.Clear();
        Array.Clear(Removed);
        if (Builder.Capacity > 1 << 20)
        {
            Builder.Capacity = 1024;
        }

        Builder.Clear();
    }
}
