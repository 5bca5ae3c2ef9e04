namespace Aigc.Monitoring;

/// <summary>The CLIP score of a set of captioned images.</summary>
/// <param name="Score">The mean over the pairs (torchmetrics' <c>CLIPScore</c> value).</param>
/// <param name="Scores">Each pair's score, in input order.</param>
public sealed record ClipScoreResult(double Score, IReadOnlyList<double> Scores);
