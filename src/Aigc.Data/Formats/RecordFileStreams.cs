namespace Aigc.Data;

/// <summary>Opens output files for the record writers.</summary>
internal static class RecordFileStreams
{
    /// <summary>Creates (or overwrites) a file for asynchronous sequential writing, creating its folder.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The stream.</returns>
    public static FileStream Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
    }
}
