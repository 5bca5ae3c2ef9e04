namespace Aigc.Data;

/// <summary>Settings of a <see cref="LabelStep"/>.</summary>
public sealed class LabelStepOptions
{
    /// <summary>
    /// Gets or sets whether each labeler's vote is written to <see cref="DataRecord.Metadata"/> under
    /// <c>label.&lt;set&gt;.&lt;labeler&gt;</c> (abstentions are not written).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RecordVotes { get; set; } = true;

    /// <summary>Gets or sets the label given when every labeler abstains (or a tie abstains), or <see langword="null"/> to give none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DefaultLabel { get; set; }

    /// <summary>Gets or sets how a tie between labels with the same highest number of votes is broken.</summary>
    /// <value>The default value is <see cref="LabelTieBreaking.FirstLabeler"/>.</value>
    public LabelTieBreaking TieBreaking { get; set; } = LabelTieBreaking.FirstLabeler;
}
