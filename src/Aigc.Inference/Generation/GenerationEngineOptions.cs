using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>Settings of a <see cref="GenerationEngine"/>: the model and the scheduler's limits.</summary>
public sealed class GenerationEngineOptions : IValidatableObject
{
    /// <summary>Gets or sets the ONNX decoder file (Hugging Face Optimum convention, with past key values).</summary>
    /// <value>The default value is empty; it must be set.</value>
    [Required]
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the model's name, reported as the response model and on metrics (<c>gen_ai.request.model</c>).</summary>
    /// <value>The default value is the model file's name without extension.</value>
    public string? ModelName { get; set; }

    /// <summary>Gets or sets the most sequences decoded together in one step (a beam request counts its beam width).</summary>
    /// <value>The default value is <c>16</c>.</value>
    [Range(1, 1024)]
    public int MaxRunningSequences { get; set; } = 16;

    /// <summary>
    /// Gets or sets the token budget of one step: one token per running sequence plus the prompt tokens prefilled in
    /// that step; must exceed <see cref="MaxRunningSequences"/> so a new request can always start.
    /// </summary>
    /// <value>The default value is <c>256</c>.</value>
    [Range(2, 65536)]
    public int MaxTokensPerStep { get; set; } = 256;

    /// <summary>Gets or sets the longest prompt piece prefilled in one run; longer prompts are prefilled in chunks across steps.</summary>
    /// <value>The default value is <c>64</c>.</value>
    [Range(1, 65536)]
    public int PrefillChunkSize { get; set; } = 64;

    /// <summary>Gets or sets the context length (prompt plus output tokens), or <see langword="null"/> for the model's (<c>n_positions</c> in its metadata).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(2, 1 << 20)]
    public int? ContextLength { get; set; }

    /// <summary>Gets or sets the end-of-sequence token, or <see langword="null"/> for the model's (<c>eos_token_id</c> in its metadata, if any).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? EndOfSequenceTokenId { get; set; }

    /// <summary>Gets or sets the most LoRA adapters held in memory; the least recently used idle one is unloaded to make room.</summary>
    /// <value>The default value is <c>8</c>.</value>
    [Range(1, 1024)]
    public int MaxResidentAdapters { get; set; } = 8;

    /// <summary>Gets or sets ONNX Runtime's intra-op thread count, or <c>0</c> for its default (one per core).</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxTokensPerStep <= MaxRunningSequences)
        {
            yield return new ValidationResult(
                $"MaxTokensPerStep ({MaxTokensPerStep}) must exceed MaxRunningSequences ({MaxRunningSequences}), so a new request can always start.",
                [nameof(MaxTokensPerStep)]);
        }
    }

    /// <summary>Returns a copy for another model file.</summary>
    internal GenerationEngineOptions CopyFor(string modelPath, string? modelName) => new()
    {
        ModelPath = modelPath,
        ModelName = modelName,
        MaxRunningSequences = MaxRunningSequences,
        MaxTokensPerStep = MaxTokensPerStep,
        PrefillChunkSize = PrefillChunkSize,
        ContextLength = ContextLength,
        EndOfSequenceTokenId = EndOfSequenceTokenId,
        MaxResidentAdapters = MaxResidentAdapters,
        IntraOpThreads = IntraOpThreads,
    };

    internal void ThrowIfInvalid()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid generation engine options: " + string.Join("; ", results.Select(r => r.ErrorMessage)) + ".", "options");
        }
    }
}
