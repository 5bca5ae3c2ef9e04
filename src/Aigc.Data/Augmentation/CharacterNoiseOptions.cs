namespace Aigc.Data;

/// <summary>Settings of a <see cref="CharacterNoiseStep"/>.</summary>
public sealed class CharacterNoiseOptions
{
    /// <summary>Gets or sets the probability that a letter or digit gets a typo.</summary>
    /// <value>The default value is <c>0.05</c>.</value>
    public double Rate { get; set; } = 0.05;

    /// <summary>Gets or sets the typos to make; each typo picks one of them (among those that apply to the character) at random.</summary>
    /// <value>The default value is <see cref="CharacterNoiseOperations.All"/>.</value>
    public CharacterNoiseOperations Operations { get; set; } = CharacterNoiseOperations.All;

    /// <summary>Gets or sets how many noisy copies each record gets (copies identical to the original or an earlier copy are skipped).</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int CopiesPerRecord { get; set; } = 1;

    /// <summary>
    /// Gets or sets the names of the fields to make noisy; empty for the defaults of the record kind: Text <c>text</c>;
    /// Instruction <c>instruction</c> and <c>input</c> (not <c>output</c>); Chat <c>user</c> messages; Preference
    /// <c>prompt</c>; ImageCaption <c>caption</c>.
    /// </summary>
    /// <value>The default value is empty (the kind's defaults).</value>
    public IList<string> Fields { get; set; } = [];

    /// <summary>Gets or sets the step's own seed, or <see langword="null"/> to use the pipeline's seed.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }
}
