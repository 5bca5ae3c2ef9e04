namespace Aigc.Monitoring;

/// <summary>The reference-based metrics <see cref="ReferenceMetricsEvaluator"/> computes.</summary>
[Flags]
public enum ReferenceMetrics
{
    /// <summary>No metric.</summary>
    None = 0,

    /// <summary>Sentence BLEU (sacreBLEU defaults with effective order), score <c>bleu</c>, 0–100.</summary>
    Bleu = 1,

    /// <summary>Sentence chrF (sacreBLEU defaults), score <c>chrf</c>, 0–100.</summary>
    ChrF = 2,

    /// <summary>ROUGE-1, ROUGE-2 and ROUGE-L F-measures, scores <c>rouge1</c>, <c>rouge2</c>, <c>rougeL</c>, 0–1.</summary>
    Rouge = 4,

    /// <summary>Exact match after trimming, score <c>exact_match</c>, 0 or 1.</summary>
    ExactMatch = 8,

    /// <summary>Every metric.</summary>
    All = Bleu | ChrF | Rouge | ExactMatch,
}
