namespace Aigc.Inference;

/// <summary>Argument checks at the registry's public edge.</summary>
internal static class RegistryArguments
{
    public const int MaxTagKeyLength = 250;
    public const int MaxTagValueLength = 5000;

    public static void Version(int version, string parameterName)
    {
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, version, "Version numbers start at 1.");
        }
    }

    public static void Tags(IReadOnlyDictionary<string, string>? tags, string parameterName)
    {
        if (tags is null)
        {
            return;
        }

        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxTagKeyLength)
            {
                throw new ArgumentException($"The tag key '{key}' is not valid: use 1 to {MaxTagKeyLength} characters, not only white space.", parameterName);
            }

            if (value is null || value.Length > MaxTagValueLength)
            {
                throw new ArgumentException($"The value of tag '{key}' is null or longer than {MaxTagValueLength} characters.", parameterName);
            }
        }
    }

    public static void Files(IReadOnlyList<ModelArtifactSource>? files, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(files, parameterName);
        if (files.Count == 0)
        {
            throw new ArgumentException("A ready version needs at least one file.", parameterName);
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file is null)
            {
                throw new ArgumentException("The file list contains null.", parameterName);
            }

            if (!paths.Add(file.Path))
            {
                throw new ArgumentException($"Two files have the path '{file.Path}' inside the version; paths must be distinct.", parameterName);
            }
        }
    }

    public static void Lineage(ModelLineage? lineage, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(lineage, parameterName);
        foreach (var dataset in lineage.Datasets)
        {
            if (dataset is null || string.IsNullOrEmpty(dataset.Name) || dataset.Version < 1 || string.IsNullOrEmpty(dataset.Fingerprint))
            {
                throw new ArgumentException("Every lineage dataset needs a name, a version from 1 and a fingerprint.", parameterName);
            }
        }

        foreach (var key in lineage.Parameters.Keys)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A lineage parameter has an empty name.", parameterName);
            }
        }

        foreach (var key in lineage.Metrics.Keys)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A lineage metric has an empty name.", parameterName);
            }
        }
    }

    public static void Update(ModelMetadataUpdate? update, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(update, parameterName);
        Tags(update.SetTags, parameterName);
        foreach (var key in update.RemoveTags)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, parameterName);
        }
    }
}
