using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Training;

/// <summary>
/// The configuration of a GPT-2-architecture decoder, with the field names of Hugging Face's <c>config.json</c>
/// for <c>GPT2LMHeadModel</c>, so real GPT-2-family checkpoints load and ours load in transformers.
/// </summary>
public sealed record Gpt2Config
{
    /// <summary>The activation GPT-2 uses (the tanh approximation of GELU).</summary>
    public const string GeluNew = "gelu_new";

    /// <summary>Gets the vocabulary size.</summary>
    /// <value>The default value is <c>50257</c> (the GPT-2 BPE vocabulary).</value>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 50257;

    /// <summary>Gets the number of positions (the context length).</summary>
    /// <value>The default value is <c>1024</c>.</value>
    [JsonPropertyName("n_positions")]
    public int Positions { get; init; } = 1024;

    /// <summary>Gets the embedding width.</summary>
    /// <value>The default value is <c>768</c>.</value>
    [JsonPropertyName("n_embd")]
    public int EmbeddingSize { get; init; } = 768;

    /// <summary>Gets the number of transformer blocks.</summary>
    /// <value>The default value is <c>12</c>.</value>
    [JsonPropertyName("n_layer")]
    public int Layers { get; init; } = 12;

    /// <summary>Gets the number of attention heads (it must divide <see cref="EmbeddingSize"/>).</summary>
    /// <value>The default value is <c>12</c>.</value>
    [JsonPropertyName("n_head")]
    public int Heads { get; init; } = 12;

    /// <summary>Gets the MLP width, or <see langword="null"/> for 4 × <see cref="EmbeddingSize"/>.</summary>
    [JsonPropertyName("n_inner")]
    public int? InnerSize { get; init; }

    /// <summary>
    /// Gets the attention heads removed from each layer by structured pruning, as Hugging Face's <c>pruned_heads</c>:
    /// layer index (a string, as JSON keys are) → the removed heads' original indices. Such a layer keeps
    /// <see cref="Heads"/> minus the removed heads, each still <see cref="HeadSize"/> wide, in their original order, so
    /// its <c>c_attn</c> is <c>[n_embd, 3·kept·head]</c> and its <c>c_proj</c> <c>[kept·head, n_embd]</c>; transformers
    /// loads such a folder as it is. <see langword="null"/> when no head was removed.
    /// </summary>
    [JsonPropertyName("pruned_heads")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<int>>? PrunedHeads { get; init; }

    /// <summary>Gets the activation function; only <c>gelu_new</c> is supported.</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; init; } = GeluNew;

    /// <summary>Gets the dropout on residual branches.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    [JsonPropertyName("resid_pdrop")]
    public double ResidualDropout { get; init; } = 0.1;

    /// <summary>Gets the dropout on the embeddings.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    [JsonPropertyName("embd_pdrop")]
    public double EmbeddingDropout { get; init; } = 0.1;

    /// <summary>Gets the dropout on attention weights.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    [JsonPropertyName("attn_pdrop")]
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>Gets the layer-norm epsilon.</summary>
    /// <value>The default value is <c>1e-5</c>.</value>
    [JsonPropertyName("layer_norm_epsilon")]
    public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary>Gets the standard deviation of the normal initialisation.</summary>
    /// <value>The default value is <c>0.02</c>.</value>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Gets the beginning-of-sequence token id.</summary>
    /// <value>The default value is <c>50256</c>.</value>
    [JsonPropertyName("bos_token_id")]
    public int BosTokenId { get; init; } = 50256;

    /// <summary>Gets the end-of-sequence token id.</summary>
    /// <value>The default value is <c>50256</c>.</value>
    [JsonPropertyName("eos_token_id")]
    public int EosTokenId { get; init; } = 50256;

    /// <summary>Gets the model type, <c>gpt2</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "gpt2";

    /// <summary>Gets the architectures, <c>GPT2LMHeadModel</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string> Architectures { get; init; } = ["GPT2LMHeadModel"];

    /// <summary>Gets whether the LM head shares the token embedding's weights (always so for GPT-2).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Gets the MLP width actually used.</summary>
    [JsonIgnore]
    public int EffectiveInnerSize => InnerSize ?? 4 * EmbeddingSize;

    /// <summary>Gets the width of one attention head.</summary>
    [JsonIgnore]
    public int HeadSize => EmbeddingSize / Heads;

    /// <summary>Returns the number of attention heads layer <paramref name="layer"/> keeps after <see cref="PrunedHeads"/>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The head count.</returns>
    public int HeadsInLayer(int layer) => Heads - RemovedHeads(layer).Count;

    /// <summary>Returns the original indices of the heads removed from layer <paramref name="layer"/> (empty when none).</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The removed heads.</returns>
    public IReadOnlyList<int> RemovedHeads(int layer) =>
        PrunedHeads is not null && PrunedHeads.TryGetValue(layer.ToString(CultureInfo.InvariantCulture), out var removed) ? removed : [];

    /// <summary>Checks the configuration and throws one error listing every problem and what is supported.</summary>
    /// <exception cref="NotSupportedException">A setting is out of range or not supported.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (VocabSize < 1) problems.Add($"vocab_size must be positive (is {VocabSize})");
        if (Positions < 1) problems.Add($"n_positions must be positive (is {Positions})");
        if (EmbeddingSize < 1) problems.Add($"n_embd must be positive (is {EmbeddingSize})");
        if (Layers < 1) problems.Add($"n_layer must be positive (is {Layers})");
        if (Heads < 1 || EmbeddingSize % Heads != 0) problems.Add($"n_head must divide n_embd (n_embd {EmbeddingSize}, n_head {Heads})");
        if (InnerSize is < 1) problems.Add($"n_inner must be positive or null (is {InnerSize})");
        foreach (var (key, removed) in PrunedHeads ?? new Dictionary<string, IReadOnlyList<int>>())
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var layer) || layer >= Layers)
            {
                problems.Add($"pruned_heads key '{key}' is not a layer index below n_layer {Layers}");
            }
            else if (removed is null || removed.Any(h => h < 0 || h >= Heads) || removed.Distinct().Count() != removed.Count || removed.Count >= Heads)
            {
                problems.Add($"pruned_heads of layer {layer} must be distinct head indices below n_head {Heads} that leave at least one head (is [{string.Join(", ", removed ?? [])}])");
            }
        }

        if (ActivationFunction != GeluNew) problems.Add($"activation_function '{ActivationFunction}' is not supported; supported: '{GeluNew}'");
        if (ModelType != "gpt2") problems.Add($"model_type '{ModelType}' is not supported; supported: 'gpt2'");
        if (!TieWordEmbeddings) problems.Add("tie_word_embeddings=false is not supported; GPT-2 ties the LM head to wte");
        foreach (var (name, p) in new[] { ("resid_pdrop", ResidualDropout), ("embd_pdrop", EmbeddingDropout), ("attn_pdrop", AttentionDropout) })
        {
            if (p is < 0 or >= 1) problems.Add($"{name} must be in [0, 1) (is {p})");
        }

        if (problems.Count > 0)
        {
            throw new NotSupportedException("Unsupported GPT-2 configuration: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The configuration, validated.</returns>
    /// <exception cref="NotSupportedException">The configuration is not a supported GPT-2 configuration.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON.</exception>
    public static Gpt2Config Load(string path)
    {
        Gpt2Config config;
        try
        {
            config = JsonSerializer.Deserialize<Gpt2Config>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid config.json: {e.Message}", e);
        }

        config.Validate();
        return config;
    }

    /// <summary>Writes the configuration as a Hugging Face <c>config.json</c>.</summary>
    /// <param name="path">The file path.</param>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Returns the configuration as indented JSON in the Hugging Face layout.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
