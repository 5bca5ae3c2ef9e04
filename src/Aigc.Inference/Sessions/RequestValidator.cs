using System.Globalization;

namespace Aigc.Inference;

/// <summary>Checks a request against the model's inputs (names, element types, ranks, fixed dimensions) before ONNX Runtime sees it.</summary>
internal static class RequestValidator
{
    /// <summary>
    /// Validates the request and puts its tensors in model-input order into <paramref name="ordered"/>.
    /// <paramref name="builtInput"/> names an input the caller may leave out because the batcher builds it (the mask).
    /// Fixed dimensions are checked from <paramref name="firstCheckedDimension"/> on (1 when the batcher owns dimension 0).
    /// </summary>
    public static void Validate(ModelMetadata metadata, InferenceRequest request, InferenceTensor?[] ordered, int builtInput, int firstCheckedDimension)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = metadata.InputArray;
        foreach (var pair in request.Inputs)
        {
            if (!metadata.TryGetInput(pair.Key, out _))
            {
                throw new ModelInputException(pair.Key, $"Input '{pair.Key}' is not an input of the model; its inputs are: {Describe(inputs)}.");
            }

            if (pair.Value is null)
            {
                throw new ModelInputException(pair.Key, $"Input '{pair.Key}' has no tensor.");
            }
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (!request.Inputs.TryGetValue(input.Name, out var tensor))
            {
                if (i == builtInput)
                {
                    ordered[i] = null;
                    continue;
                }

                throw new ModelInputException(input.Name, $"Input '{input.Name}' is missing; the model needs {Describe(inputs)}.");
            }

            Check(input, tensor, firstCheckedDimension);
            ordered[i] = tensor;
        }
    }

    private static void Check(ModelTensorInfo input, InferenceTensor tensor, int firstCheckedDimension)
    {
        if (!input.IsTensor)
        {
            throw new ModelInputException(input.Name, $"Input '{input.Name}' is not a tensor input; Aigc.Inference serves tensor inputs only.");
        }

        if (tensor.ElementType != input.ElementType)
        {
            throw new ModelInputException(input.Name, $"Input '{input.Name}' has element type {tensor.ElementType}, but the model expects {input.ElementType}.");
        }

        var expected = input.DimensionSpan;
        var actual = tensor.Shape;
        if (actual.Length != expected.Length)
        {
            throw new ModelInputException(input.Name, $"Input '{input.Name}' has rank {actual.Length} (shape {InferenceTensor.Format(actual)}), but the model expects rank {expected.Length} ({input.FormatShape()}).");
        }

        for (var d = firstCheckedDimension; d < expected.Length; d++)
        {
            if (expected[d] >= 0 && actual[d] != expected[d])
            {
                throw new ModelInputException(input.Name, $"Input '{input.Name}' has size {actual[d].ToString(CultureInfo.InvariantCulture)} in dimension {d.ToString(CultureInfo.InvariantCulture)} (shape {InferenceTensor.Format(actual)}), but the model expects {expected[d].ToString(CultureInfo.InvariantCulture)} ({input.FormatShape()}).");
            }
        }
    }

    internal static string Describe(IReadOnlyList<ModelTensorInfo> tensors)
    {
        var parts = new string[tensors.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = tensors[i].IsTensor ? $"'{tensors[i].Name}' {tensors[i].ElementType} {tensors[i].FormatShape()}" : $"'{tensors[i].Name}' (not a tensor)";
        }

        return string.Join(", ", parts);
    }
}
