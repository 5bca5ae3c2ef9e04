using System.ComponentModel.DataAnnotations;

namespace Aigc.WebApi;

/// <summary>Settings of the web host, bound from the configuration section <c>WebApi</c>.</summary>
internal sealed class WebHostOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "WebApi";

    /// <summary>
    /// Gets or sets the registry model to serve, as a model URI (<c>models:/aurora-writer@champion</c>). When unset, the
    /// host serves <c>models:/{SeedModelName}@champion</c> and, when the registry has no such model, makes a tiny
    /// GPT-2 model with two LoRA adapters, registers it and moves <c>@champion</c> to it (offline, once).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the name the tiny offline model is registered under.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    public string SeedModelName { get; set; } = "tiny-gpt2";

    /// <summary>Gets or sets the folder the tiny offline model is made in (or found in); relative to <c>Aigc:RootPath</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SeedPath { get; set; } = "webapi/seed";

    /// <summary>Gets or sets how many steps the tiny offline model is trained on the built-in product descriptions (0: random weights).</summary>
    [Range(0, 10_000)]
    public int SeedTrainingSteps { get; set; } = 100;

    /// <summary>Gets or sets the chat template of the served model: <c>chatml</c> or <c>plain</c>.</summary>
    [RegularExpression("^(chatml|plain)$")]
    public string ChatTemplate { get; set; } = "chatml";

    /// <summary>Gets or sets the most sequences the generation engine decodes together.</summary>
    [Range(1, 1024)]
    public int MaxRunningSequences { get; set; } = 16;

    /// <summary>
    /// Gets or sets the key the <c>/admin</c> endpoints require in the <c>X-Api-Key</c> header (or as
    /// <c>Authorization: Bearer …</c>). When unset, every admin request is refused with 401.
    /// </summary>
    public string? AdminApiKey { get; set; }
}
