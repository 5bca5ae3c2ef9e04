using System.IO.Hashing;
using System.Text;

namespace Aigc.Data;

/// <summary>Compares two stored dataset versions through any <see cref="IDatasetStore"/>.</summary>
public static class DatasetDiffer
{
    /// <summary>How many ids each sample in a <see cref="DatasetDiff"/> holds at most.</summary>
    public const int SampleSize = 20;

    /// <summary>
    /// Compares two versions record by record (records are matched by id and compared by the hash of their
    /// canonical JSON, split included) and step by step.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="fromVersion">The older version.</param>
    /// <param name="toVersion">The newer version.</param>
    /// <param name="cancellationToken">Cancels the comparison.</param>
    /// <returns>The differences.</returns>
    /// <exception cref="DatasetNotFoundException">A version does not exist.</exception>
    public static async Task<DatasetDiff> DiffAsync(IDatasetStore store, string name, int fromVersion, int toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var from = await store.GetAsync(name, fromVersion, cancellationToken).ConfigureAwait(false) ?? throw new DatasetNotFoundException(name, fromVersion);
        var to = await store.GetAsync(name, toVersion, cancellationToken).ConfigureAwait(false) ?? throw new DatasetNotFoundException(name, toVersion);

        var old = new Dictionary<string, UInt128>(StringComparer.Ordinal);
        await foreach (var record in store.ReadAsync(name, fromVersion, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            old[record.Id] = Hash(record);
        }

        long added = 0, changed = 0, unchanged = 0;
        List<string> addedSample = [], changedSample = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in store.ReadAsync(name, toVersion, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            seen.Add(record.Id);
            if (!old.TryGetValue(record.Id, out var hash))
            {
                added++;
                AddSample(addedSample, record.Id);
            }
            else if (hash != Hash(record))
            {
                changed++;
                AddSample(changedSample, record.Id);
            }
            else
            {
                unchanged++;
            }
        }

        List<string> removedSample = [];
        long removed = 0;
        foreach (var id in old.Keys)
        {
            if (!seen.Contains(id))
            {
                removed++;
                AddSample(removedSample, id);
            }
        }

        return new DatasetDiff
        {
            From = from.ToReference(),
            To = to.ToReference(),
            Added = added,
            Removed = removed,
            Changed = changed,
            Unchanged = unchanged,
            AddedSample = addedSample,
            RemovedSample = removedSample,
            ChangedSample = changedSample,
            ChangedSteps = ChangedSteps(from.Steps, to.Steps),
        };
    }

    private static List<string> ChangedSteps(IReadOnlyList<DatasetStepInfo> from, IReadOnlyList<DatasetStepInfo> to)
    {
        static string Key(DatasetStepInfo s) =>
            s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + string.Join('|', s.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

        var before = from.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => string.Join(';', g.Select(Key)), StringComparer.Ordinal);
        var after = to.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => string.Join(';', g.Select(Key)), StringComparer.Ordinal);
        return before.Keys.Union(after.Keys)
            .Where(id => !before.TryGetValue(id, out var b) || !after.TryGetValue(id, out var a) || b != a)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static UInt128 Hash(DataRecord record)
    {
        var json = DataRecordJson.Serialize(record) + "\u0000" + (record.Source?.File is { } file ? Path.GetFileName(file) : string.Empty);
        return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(json));
    }

    private static void AddSample(List<string> sample, string id)
    {
        if (sample.Count < SampleSize)
        {
            sample.Add(id);
        }
    }
}
