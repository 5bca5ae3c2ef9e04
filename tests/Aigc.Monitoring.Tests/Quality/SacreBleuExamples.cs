namespace Aigc.Monitoring.Tests.Quality;

/// <summary>The example corpus of sacreBLEU's README ("Using SacreBLEU from Python") and test/test_bleu.py.</summary>
internal static class SacreBleuExamples
{
    public static readonly string[] Hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    public static readonly IReadOnlyList<IReadOnlyList<string?>> References =
    [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];

    /// <summary>The README's "Variable Number of References" example: the first reference of segment 1 is missing.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<string?>> VariableReferences =
    [
        ["", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];
}
