using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// The dataset store on a file system: each version is an immutable folder
/// <c>&lt;root&gt;/&lt;name&gt;/v&lt;N&gt;/</c> holding <c>manifest.json</c>, <c>data/&lt;split&gt;.jsonl</c>,
/// <c>rejects.jsonl</c> and <c>reports/</c>. A version is written to a staging folder and renamed into place, so
/// readers never see half a version and a crash leaves nothing behind but a staging folder.
/// </summary>
/// <remarks>Safe for concurrent writers, also across processes: each commit takes the next free version number.</remarks>
public sealed class FileDatasetStore : IDatasetStore
{
    internal const string ManifestFile = "manifest.json";
    internal const string RejectsFile = "rejects.jsonl";
    internal const string StagingPrefix = ".staging-";

    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a store rooted at <paramref name="rootDirectory"/> (created when missing).</summary>
    /// <param name="rootDirectory">The folder holding every dataset.</param>
    /// <param name="timeProvider">The clock used for creation times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is null or empty.</exception>
    public FileDatasetStore(string rootDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the folder holding every dataset.</summary>
    public string RootDirectory { get; }

    /// <summary>Returns the folder of one stored version.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    /// <returns>The folder path (it exists only when the version does).</returns>
    public string GetVersionDirectory(string name, int version)
    {
        DatasetNames.Validate(name, nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return Path.Combine(RootDirectory, name, "v" + version.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public Task<IDatasetVersionWriter> BeginWriteAsync(DatasetVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        DatasetNames.Validate(request.Name, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();
        var datasetDirectory = Path.Combine(RootDirectory, request.Name);
        var staging = Path.Combine(datasetDirectory, StagingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return Task.FromResult<IDatasetVersionWriter>(new FileDatasetVersionWriter(this, request, staging, _timeProvider.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task<DatasetManifest?> FindAsync(string name, string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        DatasetManifest? found = null;
        await foreach (var manifest in ListAsync(name, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(manifest.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                found = manifest;
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<DatasetManifest?> GetAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        DatasetNames.Validate(name, nameof(name));
        var number = version ?? VersionNumbers(Path.Combine(RootDirectory, name)).DefaultIfEmpty(0).Max();
        if (number < 1)
        {
            return null;
        }

        var path = Path.Combine(GetVersionDirectory(name, number), ManifestFile);
        return File.Exists(path) ? await ReadManifestAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DatasetManifest> ListAsync(string? name = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(RootDirectory))
        {
            yield break;
        }

        IEnumerable<string> names;
        if (name is null)
        {
            names = Directory.EnumerateDirectories(RootDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        }
        else
        {
            DatasetNames.Validate(name, nameof(name));
            names = [name];
        }

        foreach (var dataset in names)
        {
            foreach (var number in VersionNumbers(Path.Combine(RootDirectory, dataset)).Order())
            {
                var path = Path.Combine(RootDirectory, dataset, "v" + number.ToString(CultureInfo.InvariantCulture), ManifestFile);
                if (File.Exists(path))
                {
                    yield return await ReadManifestAsync(path, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ReadAsync(string name, int version, string? split = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var manifest = await GetAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new DatasetNotFoundException(name, version);
        var directory = GetVersionDirectory(name, version);
        foreach (var (splitName, file) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (split is not null && !string.Equals(split, splitName, StringComparison.Ordinal))
            {
                continue;
            }

            var path = Path.Combine(directory, file);
            long line = 0;
            await foreach (var text in ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
            {
                line++;
                DataRecord record;
                try
                {
                    record = DataRecordJson.Parse(text, manifest.Kind);
                }
                catch (JsonException e)
                {
                    throw new DataFileException(path, $"line {line} is not a valid {manifest.Kind} record: {e.Message} The stored version is damaged.", e);
                }

                record.Source = new RecordSource(path, line);
                yield return record;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RejectedRecord> ReadRejectsAsync(string name, int version, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(GetVersionDirectory(name, version), RejectsFile);
        if (!File.Exists(path))
        {
            throw new DatasetNotFoundException(name, version);
        }

        await foreach (var text in ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize<RejectedRecord>(text, DatasetStoreJson.LineOptions)
                ?? throw new DataFileException(path, "holds a null line.", null);
        }
    }

    internal int NextVersion(string name) => VersionNumbers(Path.Combine(RootDirectory, name)).DefaultIfEmpty(0).Max() + 1;

    private static IEnumerable<int> VersionNumbers(string datasetDirectory)
    {
        if (!Directory.Exists(datasetDirectory))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories(datasetDirectory, "v*"))
        {
            var folder = Path.GetFileName(directory);
            if (int.TryParse(folder.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                yield return number;
            }
        }
    }

    private static async Task<DatasetManifest> ReadManifestAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<DatasetManifest>(stream, DatasetStoreJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new DataFileException(path, "is empty.", null);
            }
            catch (JsonException e)
            {
                throw new DataFileException(path, "is not a valid dataset manifest: " + e.Message, e);
            }
        }
    }

    private static async IAsyncEnumerable<string> ReadLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
