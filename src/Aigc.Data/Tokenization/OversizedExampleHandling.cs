namespace Aigc.Data;

/// <summary>What a <see cref="SequencePacker"/> does with an example longer than <see cref="SequencePackerOptions.SequenceLength"/>.</summary>
public enum OversizedExampleHandling
{
    /// <summary>Split it across consecutive sequences; no token is lost.</summary>
    Split = 0,

    /// <summary>Drop it (counted in <see cref="PackingStatistics.ExamplesDropped"/>).</summary>
    Drop = 1,
}
