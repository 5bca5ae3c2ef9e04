namespace Aigc;

/// <summary>One file of a stored model version.</summary>
/// <param name="Path">The file's path inside the version, with <c>/</c> separators (for example <c>adapter_model.safetensors</c>).</param>
/// <param name="Sha256">The lower-case hex SHA-256 of the file's content; the file is stored under this hash.</param>
/// <param name="Size">The file's length in bytes.</param>
public sealed record ModelArtifact(string Path, string Sha256, long Size);
