namespace Aigc.Monitoring;

/// <summary>One ROUGE measurement: precision, recall and their F1 (rouge-score's <c>Score</c> tuple).</summary>
/// <param name="Precision">Matches divided by the prediction's units (n-grams or tokens), 0–1.</param>
/// <param name="Recall">Matches divided by the reference's units, 0–1.</param>
/// <param name="FMeasure">2·P·R / (P + R), or 0 when both are 0.</param>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure)
{
    internal static RougeScore FromCounts(double matches, double predictionCount, double referenceCount)
    {
        var precision = matches / Math.Max(predictionCount, 1);
        var recall = matches / Math.Max(referenceCount, 1);
        return new RougeScore(precision, recall, F1(precision, recall));
    }

    internal static double F1(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}
