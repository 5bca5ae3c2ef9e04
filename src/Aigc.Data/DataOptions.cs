using System.ComponentModel.DataAnnotations;

namespace Aigc.Data;

/// <summary>Settings of the Aigc.Data package, bound from the configuration section <c>Aigc:Data</c>.</summary>
public sealed class DataOptions
{
    /// <summary>The name of the sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Data";

    /// <summary>Gets or sets the folder, relative to <see cref="Aigc.AigcOptions.RootPath"/> unless rooted, that holds the dataset store.</summary>
    /// <value>The default value is <c>datasets</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string DatasetsDirectory { get; set; } = "datasets";

    /// <summary>Gets or sets the tokenizer used for token counts and packing when a step is not given one.</summary>
    /// <value>The default value is <c>gpt2</c> (GPT-2 byte-level BPE from Microsoft.ML.Tokenizers).</value>
    [Required(AllowEmptyStrings = false)]
    public string Tokenizer { get; set; } = "gpt2";

    /// <summary>Gets or sets the largest record (one JSONL line, one CSV row) a reader accepts; a larger one is rejected with its line number.</summary>
    /// <value>The default value is <c>16777216</c> (16 MiB).</value>
    [Range(1024, int.MaxValue)]
    public int MaxRecordBytes { get; set; } = 16 * 1024 * 1024;
}
