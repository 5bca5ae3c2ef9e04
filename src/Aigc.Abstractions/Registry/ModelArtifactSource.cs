namespace Aigc;

/// <summary>A local file to copy into a model version, and the path it gets inside the version.</summary>
/// <remarks>
/// Paths inside a version use <c>/</c> separators and stay inside the version: no rooted path, no <c>.</c> or
/// <c>..</c> segment, no empty segment, no <c>\</c>, <c>:</c> or control character, at most 512 characters.
/// </remarks>
public sealed class ModelArtifactSource
{
    /// <summary>The longest path inside a version.</summary>
    public const int MaxPathLength = 512;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="path">The file's path inside the version, for example <c>adapter_model.safetensors</c>.</param>
    /// <param name="sourceFile">The local file to copy.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not a valid path inside a version, or <paramref name="sourceFile"/> is empty.</exception>
    public ModelArtifactSource(string path, string sourceFile)
    {
        ThrowIfInvalidPath(path, nameof(path));
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        Path = path;
        SourceFile = sourceFile;
    }

    /// <summary>Gets the file's path inside the version.</summary>
    public string Path { get; }

    /// <summary>Gets the local file to copy.</summary>
    public string SourceFile { get; }

    /// <summary>Returns every file under <paramref name="directory"/> (recursively), each with its relative path, in path order.</summary>
    /// <param name="directory">The folder, for example a PEFT adapter folder.</param>
    /// <returns>The sources.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or a file's relative path is not valid inside a version.</exception>
    public static IReadOnlyList<ModelArtifactSource> FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The folder '{root}' does not exist.");
        }

        var sources = new List<ModelArtifactSource>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(root, file);
            if (System.IO.Path.DirectorySeparatorChar != '/')
            {
                relative = relative.Replace(System.IO.Path.DirectorySeparatorChar, '/');
            }

            sources.Add(new ModelArtifactSource(relative, file));
        }

        sources.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return sources;
    }

    /// <summary>Returns the files of <paramref name="path"/>: every file under it when it is a folder, otherwise the file itself under its own name.</summary>
    /// <param name="path">A folder (an adapter folder) or a file (a merged ONNX model).</param>
    /// <returns>The sources.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or a relative path is not valid inside a version.</exception>
    public static IReadOnlyList<ModelArtifactSource> FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return FromDirectory(full);
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Neither a file nor a folder exists at '{full}'.", full);
        }

        return [new ModelArtifactSource(System.IO.Path.GetFileName(full), full)];
    }

    /// <summary>Returns whether <paramref name="path"/> is a valid path inside a version.</summary>
    /// <param name="path">The path.</param>
    /// <returns><see langword="true"/> when it is valid.</returns>
    public static bool IsValidPath(string? path) => path is not null && DescribeInvalidPath(path) is null;

    /// <summary>Throws when <paramref name="path"/> is not a valid path inside a version.</summary>
    /// <param name="path">The path.</param>
    /// <param name="parameterName">The parameter the path came from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not valid; the message says why.</exception>
    public static void ThrowIfInvalidPath(string? path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (DescribeInvalidPath(path) is { } reason)
        {
            throw new ArgumentException($"'{path}' is not a valid file path inside a model version: {reason}.", parameterName);
        }
    }

    private static string? DescribeInvalidPath(string path)
    {
        if (path.Length == 0)
        {
            return "it is empty";
        }

        if (path.Length > MaxPathLength)
        {
            return $"it is longer than {MaxPathLength} characters";
        }

        if (path[0] == '/')
        {
            return "it is rooted; use a path relative to the version, with '/' separators";
        }

        foreach (var c in path)
        {
            if (c == '\\' || c == ':' || char.IsControl(c))
            {
                return "it contains '\\', ':' or a control character; use '/' separators";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return "it has an empty, '.' or '..' segment, which could leave the version";
            }
        }

        return null;
    }
}
