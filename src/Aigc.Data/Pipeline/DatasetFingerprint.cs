using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Dataset fingerprints: a source's fingerprint hashes its content and mapping; each step chains
/// <c>SHA-256(previous fingerprint, step id, step version, canonical parameters)</c>, as Hugging Face
/// <c>datasets</c> caching does, so an unchanged pipeline over unchanged input has an unchanged fingerprint.
/// </summary>
public static class DatasetFingerprint
{
    /// <summary>Computes the fingerprint after a step.</summary>
    /// <param name="previous">The fingerprint before the step.</param>
    /// <param name="step">The step.</param>
    /// <returns>The new fingerprint (lowercase hex SHA-256).</returns>
    public static string Next(string previous, IDataStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Combine(previous, step.Id, step.Version, step.Parameters);
    }

    /// <summary>Computes <c>SHA-256(previous, id, version, parameters)</c> over a canonical JSON encoding.</summary>
    /// <param name="previous">The previous fingerprint (empty for a source).</param>
    /// <param name="id">The step or source id.</param>
    /// <param name="version">The step version.</param>
    /// <param name="parameters">The canonical parameters.</param>
    /// <returns>The fingerprint (lowercase hex SHA-256).</returns>
    public static string Combine(string previous, string id, int version, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(parameters);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("previous", previous);
            writer.WriteString("id", id);
            writer.WriteNumber("version", version);
            writer.WriteStartObject("parameters");
            foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Hashes a file's content (XxHash128, fast enough for multi-gigabyte inputs).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content hash (lowercase hex).</returns>
    /// <exception cref="DataFileException">The file cannot be read.</exception>
    public static async ValueTask<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                var hash = new XxHash128();
                await hash.AppendAsync(stream, cancellationToken).ConfigureAwait(false);
                return Convert.ToHexStringLower(hash.GetCurrentHash());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DataFileException)
        {
            throw new DataFileException(path, "cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Hashes a string (XxHash128 of its UTF-8 bytes).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The hash (lowercase hex).</returns>
    public static string HashText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text)));
    }
}
