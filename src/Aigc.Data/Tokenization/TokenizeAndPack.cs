using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// Records to training sequences in one pass: tokenize with a <see cref="RecordTokenizer"/>, pack with a
/// <see cref="SequencePacker"/>, and optionally write a <c>.tokens</c> file with its sidecar so training streams
/// the sequences without tokenizing again.
/// </summary>
public static class TokenizeAndPack
{
    /// <summary>The id under which tokenize-and-pack appears in fingerprints and reject files.</summary>
    public const string StepId = "tokenize.pack";

    /// <summary>The version of the tokenize-and-pack behaviour (part of the fingerprint).</summary>
    public const int StepVersion = 1;

    /// <summary>Tokenizes and packs a stream of records.</summary>
    /// <param name="records">The records.</param>
    /// <param name="tokenizer">The tokenizer (with its template).</param>
    /// <param name="packer">The packer.</param>
    /// <param name="context">
    /// Receives the records the tokenizer refuses and the examples the packer would drop, with reasons, and a
    /// <c>packing</c> report at the end; when <see langword="null"/>, they are only counted in <paramref name="statistics"/>.
    /// </param>
    /// <param name="statistics">Receives counts and packing efficiency, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The packed sequences, produced as the records are read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/>, <paramref name="tokenizer"/> or <paramref name="packer"/> is <see langword="null"/>.</exception>
    public static IAsyncEnumerable<PackedSequence> PackAsync(
        IAsyncEnumerable<DataRecord> records,
        RecordTokenizer tokenizer,
        SequencePacker packer,
        DataStepContext? context = null,
        PackingStatistics? statistics = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(packer);
        return PackIterator(records, tokenizer, packer, context, statistics ?? new PackingStatistics(), cancellationToken);
    }

    /// <summary>Tokenizes and packs a stream of records into a <c>.tokens</c> file and its sidecar JSON.</summary>
    /// <param name="records">The records.</param>
    /// <param name="tokenizer">The tokenizer (with its template).</param>
    /// <param name="packer">The packer.</param>
    /// <param name="path">The <c>.tokens</c> file to write (the sidecar is <c>&lt;path&gt;.json</c>).</param>
    /// <param name="sourceFingerprint">The fingerprint of the records (for example the dataset version's), or <see langword="null"/>.</param>
    /// <param name="context">Receives refused records with reasons, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run; the partial file is deleted.</param>
    /// <returns>The sidecar information, statistics included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/>, <paramref name="tokenizer"/> or <paramref name="packer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or the packer's pad id is outside the tokenizer's vocabulary.</exception>
    /// <exception cref="DataFileException">The file cannot be written.</exception>
    public static async Task<PackedDatasetInfo> WriteAsync(
        IAsyncEnumerable<DataRecord> records,
        RecordTokenizer tokenizer,
        SequencePacker packer,
        string path,
        string? sourceFingerprint = null,
        DataStepContext? context = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(packer);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (tokenizer.VocabularySize > 0 && packer.PadTokenId >= tokenizer.VocabularySize)
        {
            throw new ArgumentException($"The pad token id {packer.PadTokenId} is outside the tokenizer's vocabulary of {tokenizer.VocabularySize}.", nameof(packer));
        }

        var statistics = new PackingStatistics();
        var writer = PackedDatasetWriter.Create(path, packer.SequenceLength, tokenizer.VocabularySize, packer.PadTokenId, packer.ResetPositionIds);
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var sequence in PackAsync(records, tokenizer, packer, context, statistics, cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(sequence, cancellationToken).ConfigureAwait(false);
            }

            var tokenization = new StepParameters();
            foreach (var (key, value) in tokenizer.Parameters)
            {
                if (!key.StartsWith("template.", StringComparison.Ordinal))
                {
                    tokenization.Add(key, value);
                }
            }

            var info = new PackedDatasetInfo
            {
                Tokenizer = tokenizer.TokenizerName,
                EosTokenId = tokenizer.AppendEos ? tokenizer.EosTokenId : null,
                Fingerprint = sourceFingerprint is null ? null : ComputeFingerprint(sourceFingerprint, tokenizer, packer),
                SourceFingerprint = sourceFingerprint,
                Template = tokenizer.Template.Parameters,
                Tokenization = tokenization,
                Packing = packer.Parameters,
                Statistics = statistics,
            };
            return await writer.CompleteAsync(info, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Computes the fingerprint of packed data: <see cref="DatasetFingerprint.Combine"/> of the source fingerprint with
    /// <see cref="StepId"/>, <see cref="StepVersion"/> and the tokenizer's and packer's parameters (<c>packing.*</c>).
    /// </summary>
    /// <param name="sourceFingerprint">The fingerprint of the records.</param>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="packer">The packer.</param>
    /// <returns>The fingerprint (lowercase hex SHA-256).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string ComputeFingerprint(string sourceFingerprint, RecordTokenizer tokenizer, SequencePacker packer)
    {
        ArgumentNullException.ThrowIfNull(sourceFingerprint);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(packer);
        var parameters = new StepParameters().AddAll(tokenizer.Parameters);
        foreach (var (key, value) in packer.Parameters)
        {
            parameters.Add("packing." + key, value);
        }

        return DatasetFingerprint.Combine(sourceFingerprint, StepId, StepVersion, parameters);
    }

    private static async IAsyncEnumerable<PackedSequence> PackIterator(
        IAsyncEnumerable<DataRecord> records,
        RecordTokenizer tokenizer,
        SequencePacker packer,
        DataStepContext? context,
        PackingStatistics statistics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = packer.CreateState(statistics);
        var output = new List<PackedSequence>();
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!tokenizer.TryTokenize(record, out var example, out var reason))
            {
                statistics.AddRejectedRecord();
                context?.Reject(record, reason);
                continue;
            }

            statistics.AddRecord(example.Truncated);
            if (packer.DropsOversizedExamples && example.Length > packer.SequenceLength)
            {
                statistics.AddExample(example.Length);
                statistics.AddDropped(example.Length, example: true);
                context?.Reject(record, $"has {example.Length} tokens, more than the sequence length {packer.SequenceLength} (OversizedExamples = Drop); raise SequenceLength or split oversized examples");
                continue;
            }

            state.Add(example, output);
            foreach (var sequence in output)
            {
                yield return sequence;
            }

            output.Clear();
        }

        state.Flush(output);
        foreach (var sequence in output)
        {
            yield return sequence;
        }

        context?.AddReport("packing", statistics);
    }
}
