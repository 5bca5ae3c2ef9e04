using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>
/// How requests of one model are concatenated into a batch and split back: which inputs are padded along their
/// sequence dimension (and with what), which input is the mask the batcher builds, which dimensions must match
/// between requests of one batch, and which outputs are trimmed back to each request's sequence length.
/// Built once per <see cref="BatchedModel"/>; validates every request before it is queued.
/// </summary>
internal sealed class BatchLayout
{
    private readonly (int Input, int Dimension)[] _matchedDimensions;

    private BatchLayout(ModelMetadata metadata, int maxBatchSize, InputPlan[] inputs, OutputPlan[] outputs, int maskInput, string? sequenceName, (int, int)[] matchedDimensions)
    {
        Metadata = metadata;
        MaxBatchSize = maxBatchSize;
        Inputs = inputs;
        Outputs = outputs;
        MaskInput = maskInput;
        SequenceName = sequenceName;
        _matchedDimensions = matchedDimensions;
        HasPadding = Array.Exists(inputs, i => i.Padded);
        HasMatchedDimensions = matchedDimensions.Length > 0;
    }

    public ModelMetadata Metadata { get; }

    public int MaxBatchSize { get; }

    public InputPlan[] Inputs { get; }

    public OutputPlan[] Outputs { get; }

    /// <summary>The index of the input the batcher builds as the padding mask, or -1.</summary>
    public int MaskInput { get; }

    /// <summary>The symbolic name of the padded inputs' sequence dimension, used to find outputs to trim; null when unnamed.</summary>
    public string? SequenceName { get; }

    public bool HasPadding { get; }

    /// <summary>True when some symbolic, unpadded dimension must be equal for all requests of a batch.</summary>
    public bool HasMatchedDimensions { get; }

    public static BatchLayout Create(ModelMetadata metadata, BatchingOptions options, string modelName)
    {
        var inputs = new InputPlan[metadata.InputArray.Length];
        var maskInput = -1;
        if (options.MaskInput is { } maskName)
        {
            if (!metadata.TryGetInput(maskName, out var mask))
            {
                throw new ModelLoadException($"The mask input '{maskName}' configured for model '{modelName}' is not an input of the model; its inputs are: {RequestValidator.Describe(metadata.Inputs)}.");
            }

            if (mask.Rank != 2)
            {
                throw new ModelLoadException($"The mask input '{maskName}' of model '{modelName}' has shape {mask.FormatShape()}; a padding mask is [batch, sequence].");
            }

            maskInput = mask.Index;
        }

        foreach (var name in options.PadValues.Keys)
        {
            if (!metadata.TryGetInput(name, out _))
            {
                throw new ModelLoadException($"A pad value is configured for '{name}', which is not an input of model '{modelName}'; its inputs are: {RequestValidator.Describe(metadata.Inputs)}.");
            }
        }

        string? sequenceName = null;
        var matched = new List<(int, int)>();
        foreach (var input in metadata.InputArray)
        {
            if (!input.IsTensor || !TensorElementTypes.IsSupported(input.ElementType))
            {
                throw new ModelLoadException($"Input '{input.Name}' of model '{modelName}' is {(input.IsTensor ? input.ElementType.ToString() : "not a tensor")}; the batcher handles numeric and bool tensors only.");
            }

            if (!input.HasBatchDimension)
            {
                throw new ModelLoadException(
                    $"Input '{input.Name}' of model '{modelName}' has the fixed shape {input.FormatShape()}, so requests cannot be batched along its first dimension. " +
                    "Make the batch dimension symbolic with OnnxModelPreparation.MakeBatchDimensionSymbolic (or export the model with a dynamic batch axis).");
            }

            var isMask = input.Index == maskInput;
            var padded = isMask || options.PadValues.ContainsKey(input.Name);
            if (padded && (input.Rank < 2 || !input.IsSymbolic(1)))
            {
                throw new ModelLoadException($"Input '{input.Name}' of model '{modelName}' has shape {input.FormatShape()}; padding applies to a symbolic second (sequence) dimension.");
            }

            var size = TensorElementTypes.SizeOf(input.ElementType);
            var pad = new byte[size];
            TensorElementTypes.Encode(input.ElementType, isMask ? 0 : options.PadValues.TryGetValue(input.Name, out var value) ? value : 0, pad);
            var one = new byte[size];
            TensorElementTypes.Encode(input.ElementType, 1, one);
            if (padded && input.SymbolicDimensions[1] is { Length: > 0 } name)
            {
                sequenceName ??= name;
            }

            for (var d = padded ? 2 : 1; d < input.Rank; d++)
            {
                if (input.IsSymbolic(d))
                {
                    matched.Add((input.Index, d));
                }
            }

            inputs[input.Index] = new InputPlan(input, size, padded, isMask, pad, one);
        }

        var outputs = new OutputPlan[metadata.OutputArray.Length];
        foreach (var output in metadata.OutputArray)
        {
            if (!output.IsTensor || !TensorElementTypes.IsSupported(output.ElementType))
            {
                throw new ModelLoadException($"Output '{output.Name}' of model '{modelName}' is {(output.IsTensor ? output.ElementType.ToString() : "not a tensor")}; the batcher handles numeric and bool tensors only.");
            }

            if (!output.HasBatchDimension)
            {
                throw new ModelLoadException(
                    $"Output '{output.Name}' of model '{modelName}' has the fixed shape {output.FormatShape()}, so the batcher cannot split it back into requests. " +
                    "Make the batch dimension symbolic with OnnxModelPreparation.MakeBatchDimensionSymbolic.");
            }

            var trimmed = sequenceName is not null && output.Rank >= 2 && output.IsSymbolic(1) && output.SymbolicDimensions[1] == sequenceName;
            outputs[output.Index] = new OutputPlan(output, TensorElementTypes.SizeOf(output.ElementType), trimmed);
        }

        return new BatchLayout(metadata, options.MaxBatchSize, inputs, outputs, maskInput, sequenceName, [.. matched]);
    }

    /// <summary>Validates a request for batching and returns its number of rows; puts its tensors into <paramref name="ordered"/>.</summary>
    public int Validate(InferenceRequest request, InferenceTensor?[] ordered, out int sequenceLength)
    {
        RequestValidator.Validate(Metadata, request, ordered, MaskInput, firstCheckedDimension: 1);
        long rows = -1;
        long sequence = -1;
        string? rowsFrom = null;
        string? sequenceFrom = null;
        for (var i = 0; i < Inputs.Length; i++)
        {
            var tensor = ordered[i];
            if (tensor is null)
            {
                continue;
            }

            var plan = Inputs[i];
            var shape = tensor.Shape;
            if (rows < 0)
            {
                rows = shape[0];
                rowsFrom = plan.Name;
            }
            else if (shape[0] != rows)
            {
                throw new ModelInputException(plan.Name, $"Input '{plan.Name}' has {shape[0].ToString(CultureInfo.InvariantCulture)} rows, but input '{rowsFrom}' has {rows.ToString(CultureInfo.InvariantCulture)}; every input of a request needs the same leading (batch) dimension.");
            }

            if (plan.Padded)
            {
                if (sequence < 0)
                {
                    sequence = shape[1];
                    sequenceFrom = plan.Name;
                }
                else if (shape[1] != sequence)
                {
                    throw new ModelInputException(plan.Name, $"Input '{plan.Name}' has sequence length {shape[1].ToString(CultureInfo.InvariantCulture)}, but input '{sequenceFrom}' has {sequence.ToString(CultureInfo.InvariantCulture)}; the padded inputs of a request need the same second dimension.");
                }
            }
        }

        if (rows < 1)
        {
            throw new ModelInputException(rowsFrom, $"The request has {Math.Max(rows, 0).ToString(CultureInfo.InvariantCulture)} rows; a request needs at least one row in its leading (batch) dimension.");
        }

        if (rows > MaxBatchSize)
        {
            throw new ModelInputException(rowsFrom, $"The request has {rows.ToString(CultureInfo.InvariantCulture)} rows, more than the maximum batch size {MaxBatchSize.ToString(CultureInfo.InvariantCulture)}; split it into smaller requests or raise MaxBatchSize.");
        }

        if (HasPadding && sequence < 1)
        {
            throw new ModelInputException(sequenceFrom, "The request's padded inputs have an empty sequence dimension; a sequence needs at least one position.");
        }

        sequenceLength = HasPadding ? checked((int)sequence) : 0;
        return (int)rows;
    }

    /// <summary>Returns true when two requests can share a batch: their symbolic, unpadded dimensions are equal.</summary>
    public bool Compatible(PendingRequest first, PendingRequest other)
    {
        foreach (var (input, dimension) in _matchedDimensions)
        {
            var a = first.Tensors[input];
            var b = other.Tensors[input];
            if (a is not null && b is not null && a.Shape[dimension] != b.Shape[dimension])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One model input: where its elements come from and how a batch's tensor is shaped.</summary>
    internal sealed class InputPlan(ModelTensorInfo info, int elementSize, bool padded, bool isMask, byte[] padElement, byte[] oneElement)
    {
        public ModelTensorInfo Info { get; } = info;

        public string Name => Info.Name;

        public int Index => Info.Index;

        public TensorElementType ElementType => Info.ElementType;

        public int ElementSize { get; } = elementSize;

        /// <summary>Padded along dimension 1 to the longest sequence of the batch.</summary>
        public bool Padded { get; } = padded;

        /// <summary>The padding mask; built by the batcher when the request does not carry it.</summary>
        public bool IsMask { get; } = isMask;

        public byte[] PadElement { get; } = padElement;

        public byte[] OneElement { get; } = oneElement;
    }

    /// <summary>One model output: its element size and whether it is trimmed back to each request's sequence length.</summary>
    internal sealed class OutputPlan(ModelTensorInfo info, int elementSize, bool trimmed)
    {
        public ModelTensorInfo Info { get; } = info;

        public string Name => Info.Name;

        public TensorElementType ElementType => Info.ElementType;

        public int ElementSize { get; } = elementSize;

        public bool Trimmed { get; } = trimmed;
    }
}
