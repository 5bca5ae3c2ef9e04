namespace Aigc.Data;

/// <summary>Per-thread working memory of <see cref="GopherRepetitionFilter"/>: segment and n-gram tables reused across records.</summary>
internal sealed class GopherRepetitionScratch
{
    public GopherRepetitionScratch()
    {
        Segments = new SegmentComparer();
        NGrams = new NGramComparer();
        SeenSegments = new HashSet<TextSegment>(Segments);
        TokenIds = new Dictionary<TextSegment, int>(Segments);
        Counts = new Dictionary<int, int>(NGrams);
        Seen = new HashSet<int>(NGrams);
    }

    public SegmentComparer Segments { get; }

    public List<TextSegment> Parts { get; } = new(256);

    public HashSet<TextSegment> SeenSegments { get; }

    public Dictionary<TextSegment, int> TokenIds { get; }

    public List<int> TokenLengths { get; } = new(256);

    public NGramComparer NGrams { get; }

    public int[] Ids { get; set; } = new int[256];

    public Dictionary<int, int> Counts { get; }

    public HashSet<int> Seen { get; }

    public void Reset()
    {
        Parts.Clear();
        SeenSegments.Clear();
        TokenIds.Clear();
        TokenLengths.Clear();
        Counts.Clear();
        Seen.Clear();
        Segments.Text = string.Empty;
        if (Ids.Length > 1 << 16)
        {
            Ids = new int[256];
            Parts.TrimExcess();
            SeenSegments.TrimExcess();
            TokenIds.TrimExcess();
            TokenLengths.TrimExcess();
            Counts.TrimExcess();
            Seen.TrimExcess();
        }
    }
}
