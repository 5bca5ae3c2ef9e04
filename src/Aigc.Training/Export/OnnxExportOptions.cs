namespace Aigc.Training;

/// <summary>Settings of an ONNX export (<see cref="OnnxExporter"/>).</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset the exporter writes (the first with <c>LayerNormalization</c>).</summary>
    public const int MinOpset = 17;

    /// <summary>The highest opset the exporter writes.</summary>
    public const int MaxOpset = 21;

    /// <summary>The default external-data threshold: 2 GB (protobuf cannot serialise a message of 2 GiB or more).</summary>
    public const long DefaultExternalDataThreshold = 2_000_000_000;

    /// <summary>Gets the ONNX opset, from <see cref="MinOpset"/> to <see cref="MaxOpset"/>.</summary>
    /// <value>The default value is <c>17</c> (the newest opset Debian 12's <c>python3-onnx</c> checker knows).</value>
    public int Opset { get; init; } = MinOpset;

    /// <summary>
    /// Gets which layers take LoRA matrices as graph inputs, or <see langword="null"/> for a plain export (weights
    /// as they are, merged adapters included).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public OnnxLoraInputs? LoraInputs { get; init; }

    /// <summary>Gets the tokenizer recorded in the metadata (a name such as <c>gpt2</c>, or a tokenizer's JSON), or <see langword="null"/>.</summary>
    /// <value>The default value is <c>gpt2</c> (the GPT-2 BPE of <c>Microsoft.ML.Tokenizers</c>).</value>
    public string? Tokenizer { get; init; } = "gpt2";

    /// <summary>Gets the source model's version (for example a registry version or a Hub revision), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SourceModelVersion { get; init; }

    /// <summary>
    /// Gets the SHA-256 of the source model's weights file (64 hex digits), or <see langword="null"/>.
    /// <see cref="OnnxExporter.ExportCheckpoint"/> fills it from <c>model.safetensors</c> when it is not given.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SourceModelSha256 { get; init; }

    /// <summary>Gets extra <c>metadata_props</c> entries; they may not reuse a key of <see cref="OnnxMetadataKeys"/>.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the total weight size in bytes above which weights go to an external data file beside the model
    /// (<c>&lt;model file name&gt;_data</c>, as Optimum writes them); tensors under 1 KiB stay inline.
    /// </summary>
    /// <value>The default value is <see cref="DefaultExternalDataThreshold"/> (2 GB).</value>
    public long ExternalDataThreshold { get; init; } = DefaultExternalDataThreshold;

    /// <summary>Checks the settings and throws one error listing every problem and what is supported.</summary>
    /// <exception cref="NotSupportedException">A setting is out of range or not supported.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Opset is < MinOpset or > MaxOpset)
        {
            problems.Add($"opset {Opset} is not supported; supported: {MinOpset} to {MaxOpset}");
        }

        if (ExternalDataThreshold < 0)
        {
            problems.Add($"the external data threshold must be zero or more bytes (is {ExternalDataThreshold})");
        }

        if (SourceModelSha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
        {
            problems.Add("the source model SHA-256 must be 64 hex digits");
        }

        foreach (var key in Metadata.Keys)
        {
            if (OnnxMetadataKeys.All.Contains(key))
            {
                problems.Add($"metadata key '{key}' is written by the exporter; choose another key");
            }
        }

        if (LoraInputs is not null)
        {
            problems.AddRange(LoraInputs.Problems());
        }

        if (problems.Count > 0)
        {
            throw new NotSupportedException("Unsupported ONNX export settings: " + string.Join("; ", problems) + ".");
        }
    }
}
