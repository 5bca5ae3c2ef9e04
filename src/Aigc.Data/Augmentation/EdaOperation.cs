namespace Aigc.Data;

/// <summary>The four EDA operations (Wei and Zou, 2019).</summary>
internal enum EdaOperation
{
    /// <summary>Replace words that have synonyms with one of them.</summary>
    SynonymReplacement = 0,

    /// <summary>Insert a synonym of a word at a random position.</summary>
    RandomInsertion = 1,

    /// <summary>Swap two words.</summary>
    RandomSwap = 2,

    /// <summary>Delete each word with a probability.</summary>
    RandomDeletion = 3,
}
