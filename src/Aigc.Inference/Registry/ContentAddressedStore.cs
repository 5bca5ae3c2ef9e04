using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Aigc.Inference;

/// <summary>
/// The artifact store: each file kept once, by the SHA-256 of its content, at <c>&lt;root&gt;/sha256/ab/cdef…</c>
/// (the first two hex digits name the folder, the other 62 the file), read-only. Files are copied in through a
/// temporary file while hashing, and renamed into place, so a crash never leaves a half-written blob under a hash.
/// Blob paths are built from validated hashes only, so nothing read from the database can name a file outside the root.
/// </summary>
internal sealed class ContentAddressedStore
{
    private const int BufferSize = 1 << 20;
    private const string HashFolder = "sha256";
    private const string TempFolder = "tmp";

    public ContentAddressedStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public static bool IsSha256(string? text)
    {
        if (text is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the SHA-256 over a version's file list: one <c>&lt;sha256&gt; &lt;size&gt; &lt;path&gt;\n</c> line per file, in path order.</summary>
    public static string Digest(IReadOnlyList<ModelArtifact> artifacts)
    {
        var sorted = artifacts.OrderBy(a => a.Path, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var artifact in sorted)
        {
            text.Append(artifact.Sha256).Append(' ').Append(artifact.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(' ').Append(artifact.Path).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public string GetBlobPath(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ModelRegistryException(
                $"The registry database records '{sha256}' as a SHA-256, which it is not (64 lower-case hex digits): the database was altered or damaged.");
        }

        return Path.Combine(Root, HashFolder, sha256[..2], sha256[2..]);
    }

    /// <summary>Copies a file in, hashing it as it streams, and returns what it stored.</summary>
    public async Task<ModelArtifact> ImportAsync(ModelArtifactSource source, CancellationToken cancellationToken)
    {
        var temp = NewTempPath();
        try
        {
            (string Sha256, long Size) stored;
            var input = new FileStream(source.SourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (input.ConfigureAwait(false))
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    stored = await CopyHashingAsync(input, output, cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }
            }

            var blob = GetBlobPath(stored.Sha256);
            if (File.Exists(blob) && await HashMatchesAsync(blob, stored.Sha256, stored.Size, cancellationToken).ConfigureAwait(false))
            {
                return new ModelArtifact(source.Path, stored.Sha256, stored.Size);
            }

            // New content, or a damaged copy of it that this import repairs.
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            MakeReadOnly(temp);
            File.Move(temp, blob, overwrite: true);
            return new ModelArtifact(source.Path, stored.Sha256, stored.Size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Checks a stored file against its recorded size and SHA-256 and returns its path.</summary>
    public async Task<string> VerifyAsync(ModelArtifact artifact, ModelUri version, CancellationToken cancellationToken)
    {
        var blob = GetBlobPath(artifact.Sha256);
        var file = new FileInfo(blob);
        if (!file.Exists)
        {
            throw IntegrityFailure(artifact, version, blob, actualSha256: null, "is missing");
        }

        if (file.Length != artifact.Size)
        {
            throw IntegrityFailure(artifact, version, blob, actualSha256: null, $"has {file.Length} bytes instead of {artifact.Size}");
        }

        var stream = OpenBlob(blob);
        await using (stream.ConfigureAwait(false))
        {
            var (actual, _) = await CopyHashingAsync(stream, destination: null, cancellationToken).ConfigureAwait(false);
            return actual == artifact.Sha256
                ? blob
                : throw IntegrityFailure(artifact, version, blob, actual, "does not match its recorded SHA-256");
        }
    }

    /// <summary>Copies a stored file to <paramref name="target"/>, verifying it on the way; a bad copy is deleted, never left behind.</summary>
    public async Task CopyVerifiedAsync(ModelArtifact artifact, ModelUri version, string target, CancellationToken cancellationToken)
    {
        var blob = GetBlobPath(artifact.Sha256);
        if (!File.Exists(blob))
        {
            throw IntegrityFailure(artifact, version, blob, actualSha256: null, "is missing");
        }

        var temp = target + ".aigc-" + Guid.NewGuid().ToString("N")[..12] + ".part";
        try
        {
            (string Sha256, long Size) copied;
            var input = OpenBlob(blob);
            await using (input.ConfigureAwait(false))
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    copied = await CopyHashingAsync(input, output, cancellationToken).ConfigureAwait(false);
                }
            }

            if (copied.Sha256 != artifact.Sha256 || copied.Size != artifact.Size)
            {
                throw IntegrityFailure(artifact, version, blob, copied.Sha256, "does not match its recorded SHA-256");
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static FileStream OpenBlob(string blob) =>
        new(blob, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static ModelArtifactIntegrityException IntegrityFailure(ModelArtifact artifact, ModelUri version, string blob, string? actualSha256, string problem) =>
        new(
            $"The stored file '{artifact.Path}' of {version} ({blob}) {problem}: it was changed or damaged after registration, " +
            $"so the registry refuses to use it. Expected SHA-256 {artifact.Sha256}" + (actualSha256 is null ? "." : $", found {actualSha256}.") +
            " Restore the file from a backup, or register the version again from its source files.",
            artifact.Path,
            blob,
            artifact.Sha256,
            actualSha256);

    private async Task<bool> HashMatchesAsync(string blob, string sha256, long size, CancellationToken cancellationToken)
    {
        if (new FileInfo(blob).Length != size)
        {
            return false;
        }

        var stream = OpenBlob(blob);
        await using (stream.ConfigureAwait(false))
        {
            var (actual, _) = await CopyHashingAsync(stream, destination: null, cancellationToken).ConfigureAwait(false);
            return actual == sha256;
        }
    }

    private static async Task<(string Sha256, long Size)> CopyHashingAsync(Stream source, Stream? destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long size = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                if (destination is not null)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                size += read;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string NewTempPath()
    {
        var folder = Path.Combine(Root, TempFolder);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, Guid.NewGuid().ToString("N") + ".part");
    }

    private static void MakeReadOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
