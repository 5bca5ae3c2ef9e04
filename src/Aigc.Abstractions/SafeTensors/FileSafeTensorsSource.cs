using Microsoft.Win32.SafeHandles;

namespace Aigc;

/// <summary>
/// Reads a safetensors file through a handle with <see cref="RandomAccess"/>: no shared position, so concurrent reads
/// are safe. The file may be replaced (a writer renaming a new version into place) while it is open.
/// </summary>
internal sealed class FileSafeTensorsSource : SafeTensorsSource
{
    private readonly SafeFileHandle _handle;

    private FileSafeTensorsSource(string path, SafeFileHandle handle)
    {
        FilePath = path;
        _handle = handle;
        Length = RandomAccess.GetLength(handle);
    }

    /// <inheritdoc/>
    public override string? FilePath { get; }

    /// <inheritdoc/>
    public override long Length { get; }

    /// <summary>Opens a file for shared reading.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The source.</returns>
    public static FileSafeTensorsSource Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            return new FileSafeTensorsSource(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(_handle, buffer, offset);

    /// <inheritdoc/>
    public override ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        RandomAccess.ReadAsync(_handle, buffer, offset, cancellationToken);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }
    }
}
