namespace Aigc.Data;

/// <summary>Settings of a <see cref="ParaphraseAugmentStep"/>.</summary>
/// <remarks>
/// Templates are plain text with placeholders replaced verbatim: <c>{text}</c> (the text, required),
/// <c>{language}</c> (the pivot language) and <c>{source}</c> (the source language).
/// </remarks>
public sealed class ParaphraseOptions
{
    /// <summary>The default paraphrase prompt.</summary>
    public const string DefaultPromptTemplate =
        "Paraphrase the following text. Keep its meaning, its language and every fact, name and number. Answer with the paraphrase only.\n\n{text}";

    /// <summary>The default prompt of the first back-translation call.</summary>
    public const string DefaultForwardTemplate =
        "Translate the following text into {language}. Keep every fact, name and number. Answer with the translation only.\n\n{text}";

    /// <summary>The default prompt of the second back-translation call.</summary>
    public const string DefaultBackwardTemplate =
        "Translate the following {language} text into {source}. Answer with the translation only.\n\n{text}";

    /// <summary>Gets or sets how the text is rewritten.</summary>
    /// <value>The default value is <see cref="ParaphraseMode.Paraphrase"/>.</value>
    public ParaphraseMode Mode { get; set; } = ParaphraseMode.Paraphrase;

    /// <summary>Gets or sets how many paraphrases each record gets (one model call each, two for back-translation).</summary>
    /// <value>The default value is <c>2</c>.</value>
    public int CopiesPerRecord { get; set; } = 2;

    /// <summary>Gets or sets the paraphrase prompt (<see cref="ParaphraseMode.Paraphrase"/>).</summary>
    /// <value>The default value is <see cref="DefaultPromptTemplate"/>.</value>
    public string PromptTemplate { get; set; } = DefaultPromptTemplate;

    /// <summary>Gets or sets the prompt that translates into the pivot language (<see cref="ParaphraseMode.BackTranslation"/>).</summary>
    /// <value>The default value is <see cref="DefaultForwardTemplate"/>.</value>
    public string ForwardTemplate { get; set; } = DefaultForwardTemplate;

    /// <summary>Gets or sets the prompt that translates back from the pivot language (<see cref="ParaphraseMode.BackTranslation"/>).</summary>
    /// <value>The default value is <see cref="DefaultBackwardTemplate"/>.</value>
    public string BackwardTemplate { get; set; } = DefaultBackwardTemplate;

    /// <summary>Gets or sets the pivot language of back-translation.</summary>
    /// <value>The default value is <c>French</c>.</value>
    public string PivotLanguage { get; set; } = "French";

    /// <summary>Gets or sets the language the texts are in, which back-translation returns to.</summary>
    /// <value>The default value is <c>English</c>.</value>
    public string SourceLanguage { get; set; } = "English";

    /// <summary>
    /// Gets or sets the field to paraphrase (the first field of that name), or <see langword="null"/> for the kind's
    /// default: Text <c>text</c>; Instruction <c>instruction</c>; Chat the first <c>user</c> message; Preference
    /// <c>prompt</c>; ImageCaption <c>caption</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Field { get; set; }

    /// <summary>Gets or sets the model id sent in <c>ChatOptions.ModelId</c>, or <see langword="null"/> for the client's default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the sampling temperature, or <see langword="null"/> for the model's default.</summary>
    /// <value>The default value is <c>0.7</c>.</value>
    public float? Temperature { get; set; } = 0.7f;

    /// <summary>
    /// Gets or sets the step's own seed, or <see langword="null"/> to use the pipeline's seed. Each call's
    /// <c>ChatOptions.Seed</c> is derived from it, the record id and the copy number.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets how many model calls may run at once (the output order does not depend on it).</summary>
    /// <value>The default value is <c>4</c>.</value>
    public int MaxConcurrency { get; set; } = 4;
}
