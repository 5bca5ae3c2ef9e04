namespace Aigc.Data;

/// <summary>Settings for reading a human labels file with <see cref="HumanLabelsStep.LoadAsync"/>.</summary>
public sealed class HumanLabelsOptions
{
    /// <summary>Gets or sets the JSON property that holds the record id (a string or a number).</summary>
    /// <value>The default value is <c>id</c>.</value>
    public string IdField { get; set; } = "id";

    /// <summary>Gets or sets the JSON property that holds the label (a string, a number or a boolean).</summary>
    /// <value>The default value is <c>label</c>.</value>
    public string LabelField { get; set; } = "label";
}
