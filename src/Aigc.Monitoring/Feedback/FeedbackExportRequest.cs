namespace Aigc.Monitoring;

/// <summary>What <see cref="FeedbackDatasetExporter"/> exports: the feedback of one model version in a time range, and where it goes.</summary>
public sealed record FeedbackExportRequest
{
    /// <summary>Gets the model name whose feedback is exported.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the model version whose feedback is exported.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Gets the earliest feedback time to include (inclusive), or <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the time to stop before (exclusive), or <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the dataset the instruction records (prompt → corrected answer) are written to.</summary>
    /// <value>The default value is <c>feedback-instructions</c>.</value>
    public string InstructionDatasetName { get; init; } = "feedback-instructions";

    /// <summary>Gets the dataset the preference records (prompt, chosen, rejected) are written to.</summary>
    /// <value>The default value is <c>feedback-preferences</c>.</value>
    public string PreferenceDatasetName { get; init; } = "feedback-preferences";

    /// <summary>Gets the name of boolean thumbs feedback.</summary>
    /// <value>The default value is <see cref="FeedbackNames.Thumbs"/>.</value>
    public string ThumbsName { get; init; } = FeedbackNames.Thumbs;

    /// <summary>Gets the name of numeric rating feedback.</summary>
    /// <value>The default value is <see cref="FeedbackNames.Rating"/>.</value>
    public string RatingName { get; init; } = FeedbackNames.Rating;

    /// <summary>Gets how much higher the chosen answer's mean score must be than the rejected one's for a preference pair.</summary>
    /// <value>The default value is <c>1</c> (one rating point; thumbs up against thumbs down).</value>
    public double MinimumMargin { get; init; } = 1.0;

    /// <summary>
    /// Gets the dataset version the model version was trained on, when known; it becomes the parent of the exported
    /// versions in their manifests.
    /// </summary>
    public DatasetReference? TrainingDataset { get; init; }
}
