namespace Aigc.Monitoring;

/// <summary>A queued response.</summary>
internal readonly record struct OnlineEvaluationItem(EvaluationInput Input, string ModelName, string ModelVersion);
