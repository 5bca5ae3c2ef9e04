namespace Aigc.Data;

/// <summary>The split names <see cref="HashSplitter"/> assigns, as Hugging Face <c>datasets</c> names them.</summary>
public static class SplitNames
{
    /// <summary>The training split.</summary>
    public const string Train = "train";

    /// <summary>The validation split.</summary>
    public const string Validation = "validation";

    /// <summary>The test split.</summary>
    public const string Test = "test";
}
