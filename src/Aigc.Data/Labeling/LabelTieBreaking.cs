namespace Aigc.Data;

/// <summary>What <see cref="LabelStep"/> does when two or more labels get the same, highest number of votes.</summary>
public enum LabelTieBreaking
{
    /// <summary>The tied label voted for by the earliest labeler (in the order the labelers were given) wins.</summary>
    FirstLabeler = 0,

    /// <summary>A tie yields no vote label: the default label applies when one is configured, otherwise no label.</summary>
    Abstain = 1,
}
