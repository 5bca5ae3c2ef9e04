namespace Aigc.Monitoring;

/// <summary>The ROUGE scores of one prediction against one reference.</summary>
/// <param name="Rouge1">ROUGE-1: unigram overlap.</param>
/// <param name="Rouge2">ROUGE-2: bigram overlap.</param>
/// <param name="RougeL">ROUGE-L: longest common subsequence over the whole text.</param>
/// <param name="RougeLsum">ROUGE-Lsum: summary-level LCS over newline-separated sentences.</param>
public sealed record RougeScores(RougeScore Rouge1, RougeScore Rouge2, RougeScore RougeL, RougeScore RougeLsum);
