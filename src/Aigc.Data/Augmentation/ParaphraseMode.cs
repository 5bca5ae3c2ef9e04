namespace Aigc.Data;

/// <summary>How a <see cref="ParaphraseAugmentStep"/> rewrites a text.</summary>
public enum ParaphraseMode
{
    /// <summary>One call per copy asks the model to paraphrase the text (<see cref="ParaphraseOptions.PromptTemplate"/>).</summary>
    Paraphrase = 0,

    /// <summary>
    /// Back-translation: one call translates the text into <see cref="ParaphraseOptions.PivotLanguage"/>, a second
    /// translates that back (<see cref="ParaphraseOptions.ForwardTemplate"/>, <see cref="ParaphraseOptions.BackwardTemplate"/>).
    /// </summary>
    BackTranslation = 1,
}
