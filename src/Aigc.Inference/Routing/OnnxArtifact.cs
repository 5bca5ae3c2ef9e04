namespace Aigc.Inference;

/// <summary>Finds the ONNX model file among a registered version's files.</summary>
internal static class OnnxArtifact
{
    public const string DefaultPath = "model.onnx";

    /// <summary>
    /// Returns <paramref name="path"/> when given (it must be one of the version's files); otherwise the version's only
    /// <c>.onnx</c> file, or <c>model.onnx</c> when there are several.
    /// </summary>
    public static string Find(ModelVersion version, string? path)
    {
        var files = version.Artifacts;
        if (path is not null)
        {
            return files.Any(a => string.Equals(a.Path, path, StringComparison.Ordinal))
                ? path
                : throw new ModelLoadException($"{version.Uri} has no file '{path}'. Its files: {Describe(files)}.");
        }

        var onnx = files.Where(a => a.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
        return onnx.Count switch
        {
            1 => onnx[0].Path,
            0 => throw new ModelLoadException($"{version.Uri} has no .onnx file to load. Its files: {Describe(files)}. Register the exported ONNX model with it."),
            _ => onnx.Any(a => a.Path == DefaultPath)
                ? DefaultPath
                : throw new ModelLoadException($"{version.Uri} has several .onnx files ({Describe(onnx)}): name the one to load (the loader's artifact path)."),
        };
    }

    private static string Describe(IEnumerable<ModelArtifact> files) => string.Join(", ", files.Select(a => a.Path));
}
