namespace Aigc.Data;

/// <summary>The typos a <see cref="CharacterNoiseStep"/> makes.</summary>
[Flags]
public enum CharacterNoiseOperations
{
    /// <summary>No typo.</summary>
    None = 0,

    /// <summary>Swap a letter or digit with the next one (<c>form</c> → <c>from</c>).</summary>
    SwapAdjacent = 1,

    /// <summary>Drop a letter or digit (<c>letter</c> → <c>leter</c>).</summary>
    Drop = 2,

    /// <summary>Type a letter or digit twice (<c>dog</c> → <c>doog</c>).</summary>
    Duplicate = 4,

    /// <summary>Type a neighbouring key on a QWERTY keyboard instead (<c>cat</c> → <c>cst</c>); ASCII letters and digits only.</summary>
    SubstituteNeighbor = 8,

    /// <summary>Every typo.</summary>
    All = SwapAdjacent | Drop | Duplicate | SubstituteNeighbor,
}
