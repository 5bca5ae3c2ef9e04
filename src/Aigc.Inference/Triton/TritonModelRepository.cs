using System.ComponentModel.DataAnnotations;
using Google.Protobuf;
using Onnx;

namespace Aigc.Inference;

/// <summary>
/// Writes a registered ONNX model version as a Triton Inference Server model repository entry, so serving can move to
/// Triton unchanged: <c>&lt;repository&gt;/&lt;name&gt;/config.pbtxt</c> (platform <c>onnxruntime_onnx</c>, inputs and
/// outputs with their data types and dimensions from the ONNX graph, <c>dynamic_batching</c>, the instance group, and a
/// version policy that serves exactly this version) and <c>&lt;repository&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c>
/// with the version's other files beside it (for example external weights).
/// </summary>
/// <remarks>
/// A rollback in Triton is the same call with the older version: the config then names it, and Triton reloads.
/// The files are verified against their SHA-256 as they are copied.
/// </remarks>
public static class TritonModelRepository
{
    /// <summary>The name of a Triton model's configuration file.</summary>
    public const string ConfigFileName = "config.pbtxt";

    /// <summary>The file name Triton's ONNX Runtime backend loads by default.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>Exports one version (a pinned version or an alias, resolved now) into a Triton model repository.</summary>
    /// <param name="registry">The registry holding the version.</param>
    /// <param name="version">The version, for example <c>models:/writer@champion</c> or <c>models:/writer/3</c>.</param>
    /// <param name="repositoryDirectory">The model repository's root folder (created when missing).</param>
    /// <param name="options">The config's settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The model's folder, <c>&lt;repository&gt;/&lt;name&gt;</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="version"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="repositoryDirectory"/> is empty or the options are not valid.</exception>
    /// <exception cref="ModelNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelArtifactIntegrityException">A stored file does not match its SHA-256.</exception>
    /// <exception cref="ModelLoadException">The version has no ONNX file, or it is not an ONNX model.</exception>
    public static async Task<string> ExportAsync(IModelRegistry registry, ModelUri version, string repositoryDirectory, TritonExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrEmpty(repositoryDirectory);
        options ??= new TritonExportOptions();
        Validate(options);
        var name = options.ModelName ?? version.Name;
        ModelUri.ThrowIfInvalidName(name, nameof(options));

        var stored = await registry.ResolveAsync(version, cancellationToken).ConfigureAwait(false);
        var onnxPath = OnnxArtifact.Find(stored, options.ArtifactPath);
        var modelDirectory = Path.Combine(Path.GetFullPath(repositoryDirectory), name);
        var versionDirectory = Path.Combine(modelDirectory, stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(versionDirectory))
        {
            Directory.Delete(versionDirectory, recursive: true);
        }

        await registry.ExportArtifactsAsync(stored.Name, stored.Version, versionDirectory, cancellationToken).ConfigureAwait(false);
        var modelFile = Path.Combine(versionDirectory, ModelFileName);
        if (onnxPath != ModelFileName)
        {
            File.Move(Path.Combine(versionDirectory, onnxPath), modelFile, overwrite: true);
        }

        ModelProto model;
        try
        {
            await using var stream = File.OpenRead(modelFile);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new ModelLoadException($"{stored.Uri}'s '{onnxPath}' is not an ONNX model: {exception.Message}", exception);
        }

        var config = TritonConfigWriter.Write(name, stored.Version, model.Graph, options);
        await File.WriteAllTextAsync(Path.Combine(modelDirectory, ConfigFileName), config, cancellationToken).ConfigureAwait(false);
        return modelDirectory;
    }

    private static void Validate(TritonExportOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var size in options.PreferredBatchSizes)
        {
            if (size < 1 || size > options.MaxBatchSize)
            {
                results.Add(new ValidationResult($"The preferred batch size {size} must be between 1 and MaxBatchSize ({options.MaxBatchSize}).", [nameof(TritonExportOptions.PreferredBatchSizes)]));
            }
        }

        if (options.MaxQueueDelay < TimeSpan.Zero)
        {
            results.Add(new ValidationResult("MaxQueueDelay must not be negative.", [nameof(TritonExportOptions.MaxQueueDelay)]));
        }

        if (results.Count > 0)
        {
            throw new ArgumentException("The Triton export options are not valid: " + string.Join(" ", results.Select(r => $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}")), nameof(options));
        }
    }
}
