using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// Reads tokenized training data from Aigc.Data: a packed <c>.tokens</c> file (written by
/// <see cref="TokenizeAndPack"/>), or a stored dataset version tokenized and packed on the fly. Registered by
/// <c>AddTraining()</c>; relative paths are taken under <c>Aigc:RootPath</c>.
/// </summary>
public sealed class TrainingDataLoader
{
    private readonly string _root;
    private readonly IDatasetStore? _store;

    /// <summary>Initializes the loader.</summary>
    /// <param name="aigc">The shared options (the root folder for relative paths).</param>
    /// <param name="store">The dataset store (registered by <c>AddData()</c>), or <see langword="null"/> when only <c>.tokens</c> files are read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="aigc"/> is <see langword="null"/>.</exception>
    public TrainingDataLoader(AigcOptions aigc, IDatasetStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(aigc);
        _root = aigc.GetFullRootPath();
        _store = store;
    }

    /// <summary>Reads every sequence of a <c>.tokens</c> file.</summary>
    /// <param name="path">The file; a relative path is taken under <c>Aigc:RootPath</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sequences, in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DataFileException">The file is missing or not a valid <c>.tokens</c> file.</exception>
    public async Task<IReadOnlyList<PackedSequence>> ReadTokensAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = await PackedDatasetReader.OpenAsync(Path.Combine(_root, path), cancellationToken).ConfigureAwait(false);
        var sequences = new List<PackedSequence>((int)Math.Min(reader.Count, int.MaxValue));
        await foreach (var sequence in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            sequences.Add(sequence);
        }

        return sequences;
    }

    /// <summary>Reads a stored dataset version's records and tokenizes and packs them.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="split">A split name (<c>train</c>, <c>validation</c>, …), or <see langword="null"/> for every record.</param>
    /// <param name="tokenizer">The tokenizer with its chat template (for GPT-2, <see cref="RecordTokenizer.CreateGpt2"/>).</param>
    /// <param name="packer">The packer (its sequence length is the training length).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The packed sequences.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> or <paramref name="packer"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="IDatasetStore"/> is registered: call <c>AddData()</c>.</exception>
    public async Task<IReadOnlyList<PackedSequence>> ReadDatasetAsync(string name, int version, string? split, RecordTokenizer tokenizer, SequencePacker packer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(packer);
        var store = _store ?? throw new InvalidOperationException("Reading a stored dataset needs an IDatasetStore: add the data services with AddAigc().AddData().");
        var sequences = new List<PackedSequence>();
        var records = store.ReadAsync(name, version, split, cancellationToken);
        await foreach (var sequence in TokenizeAndPack.PackAsync(records, tokenizer, packer, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            sequences.Add(sequence);
        }

        return sequences;
    }
}
