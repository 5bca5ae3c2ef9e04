using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Aigc;

/// <summary>
/// The validated header of a safetensors file: its tensors in data order, the <c>__metadata__</c> map, and where the
/// header and the data buffer lie in the file.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The size of the little-endian header-size field that starts every file.</summary>
    public const int SizeFieldLength = 8;

    /// <summary>The largest header the format allows, in bytes (100,000,000, as in the reference implementation).</summary>
    public const int MaxHeaderLength = 100_000_000;

    private readonly Dictionary<string, SafeTensorInfo> _byName;

    internal SafeTensorsHeader(SafeTensorInfo[] tensorsInDataOrder, Dictionary<string, SafeTensorInfo> byName, Dictionary<string, string>? metadata, long headerLength, long dataLength)
    {
        Tensors = Array.AsReadOnly(tensorsInDataOrder);
        _byName = byName;
        Metadata = metadata is null ? ReadOnlyDictionary<string, string>.Empty : new ReadOnlyDictionary<string, string>(metadata);
        HeaderLength = headerLength;
        DataLength = dataLength;
    }

    /// <summary>Gets the tensors, ordered by where their bytes lie in the data buffer (header order among empty tensors at one offset).</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>Gets the <c>__metadata__</c> map (for example <c>format</c> → <c>pt</c>); empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Gets the length of the JSON header in bytes, including its padding (the value of the size field).</summary>
    public long HeaderLength { get; }

    /// <summary>Gets where the data buffer starts, relative to the start of the file (8 + <see cref="HeaderLength"/>).</summary>
    public long DataStart => SizeFieldLength + HeaderLength;

    /// <summary>Gets the length of the data buffer in bytes.</summary>
    public long DataLength { get; }

    /// <summary>Gets the length of the whole file in bytes.</summary>
    public long FileLength => DataStart + DataLength;

    /// <summary>Gets the tensor with the given name.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The tensor entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The header has no tensor with that name.</exception>
    public SafeTensorInfo this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            return _byName.TryGetValue(name, out var info)
                ? info
                : throw new KeyNotFoundException($"The safetensors header has no tensor named {SafeTensorsText.Quote(name)}; it has {_byName.Count} tensors (see Tensors).");
        }
    }

    /// <summary>Tells whether the header has a tensor with the given name.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns><see langword="true"/> when it has.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.ContainsKey(name);
    }

    /// <summary>Gets the tensor with the given name, if there is one.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="info">The entry when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out SafeTensorInfo info)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out info);
    }
}
