using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>What a loaded model takes and returns, and the descriptive fields of its file.</summary>
public sealed class ModelMetadata
{
    private readonly ModelTensorInfo[] _inputs;
    private readonly ModelTensorInfo[] _outputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly Dictionary<string, ModelTensorInfo> _inputsByName;
    private readonly Dictionary<string, ModelTensorInfo> _outputsByName;

    internal ModelMetadata(ModelTensorInfo[] inputs, ModelTensorInfo[] outputs, string producerName, string graphName, string domain, long version, string description, IReadOnlyDictionary<string, string> customMetadata)
    {
        _inputs = inputs;
        _outputs = outputs;
        _inputNames = Array.ConvertAll(inputs, i => i.Name);
        _outputNames = Array.ConvertAll(outputs, o => o.Name);
        _inputsByName = inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        _outputsByName = outputs.ToDictionary(o => o.Name, StringComparer.Ordinal);
        ProducerName = producerName;
        GraphName = graphName;
        Domain = domain;
        Version = version;
        Description = description;
        CustomMetadata = customMetadata;
    }

    /// <summary>Gets the model inputs in the model's order.</summary>
    public IReadOnlyList<ModelTensorInfo> Inputs => _inputs;

    /// <summary>Gets the model outputs in the model's order.</summary>
    public IReadOnlyList<ModelTensorInfo> Outputs => _outputs;

    /// <summary>Gets the input names in the model's order.</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Gets the output names in the model's order.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Gets the name of the tool that produced the model file.</summary>
    public string ProducerName { get; }

    /// <summary>Gets the name of the model's graph.</summary>
    public string GraphName { get; }

    /// <summary>Gets the model's domain.</summary>
    public string Domain { get; }

    /// <summary>Gets the model version recorded in the file.</summary>
    public long Version { get; }

    /// <summary>Gets the description recorded in the file.</summary>
    public string Description { get; }

    /// <summary>Gets the custom metadata (string key-value pairs) recorded in the file.</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    internal ModelTensorInfo[] InputArray => _inputs;

    internal ModelTensorInfo[] OutputArray => _outputs;

    internal string[] InputNameArray => _inputNames;

    internal string[] OutputNameArray => _outputNames;

    /// <summary>Finds an input by name.</summary>
    /// <param name="name">The input name (case-sensitive).</param>
    /// <param name="input">The input, when found.</param>
    /// <returns><see langword="true"/> when the model has an input of that name.</returns>
    public bool TryGetInput(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelTensorInfo? input)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _inputsByName.TryGetValue(name, out input);
    }

    /// <summary>Finds an output by name.</summary>
    /// <param name="name">The output name (case-sensitive).</param>
    /// <param name="output">The output, when found.</param>
    /// <returns><see langword="true"/> when the model has an output of that name.</returns>
    public bool TryGetOutput(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelTensorInfo? output)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _outputsByName.TryGetValue(name, out output);
    }

    internal static ModelMetadata FromSession(InferenceSession session)
    {
        var inputs = new ModelTensorInfo[session.InputNames.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var name = session.InputNames[i];
            inputs[i] = Describe(name, i, session.InputMetadata[name]);
        }

        var outputs = new ModelTensorInfo[session.OutputNames.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var name = session.OutputNames[i];
            outputs[i] = Describe(name, i, session.OutputMetadata[name]);
        }

        var model = session.ModelMetadata;
        var custom = new Dictionary<string, string>(model.CustomMetadataMap, StringComparer.Ordinal);
        return new ModelMetadata(inputs, outputs, model.ProducerName ?? string.Empty, model.GraphName ?? string.Empty, model.Domain ?? string.Empty, model.Version, model.Description ?? string.Empty, custom);
    }

    private static ModelTensorInfo Describe(string name, int index, NodeMetadata node)
    {
        if (!node.IsTensor)
        {
            return new ModelTensorInfo(name, index, isTensor: false, default, [], []);
        }

        var dimensions = Array.ConvertAll(node.Dimensions, d => (long)d);
        var symbolic = new string[dimensions.Length];
        for (var d = 0; d < symbolic.Length; d++)
        {
            symbolic[d] = node.SymbolicDimensions is { } names && d < names.Length ? names[d] ?? string.Empty : string.Empty;
            if (dimensions[d] < 0)
            {
                dimensions[d] = -1;
            }
        }

        return new ModelTensorInfo(name, index, isTensor: true, node.ElementDataType, dimensions, symbolic);
    }
}
