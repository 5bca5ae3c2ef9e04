using System.Text;

namespace Aigc.Data.Tests.Formats;

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aigc-formats-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string WriteText(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a failing test; the OS temp cleaner gets it.
        }
    }
}

internal static class Read
{
    public static async Task<(List<DataRecord> Records, List<RejectedRecord> Rejects)> AllAsync(IDataSource source, CancellationToken cancellationToken = default)
    {
        var context = new DataStepContext(source.Id);
        var records = new List<DataRecord>();
        await foreach (var record in source.ReadAsync(context, cancellationToken))
        {
            records.Add(record);
        }

        Assert.Equal(context.RejectedCount, context.Rejects.Count);
        return (records, context.Rejects.ToList());
    }

    public static async IAsyncEnumerable<DataRecord> Async(IEnumerable<DataRecord> records)
    {
        foreach (var record in records)
        {
            await Task.Yield();
            yield return record;
        }
    }
}

internal static class RecordAssert
{
    public static void Equal(DataRecord expected, DataRecord actual)
    {
        if (Same(expected, actual))
        {
            return;
        }

        // Only on a mismatch: the slower asserts that explain it.
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.ImagePath, actual.ImagePath);
        Assert.Equal(
            expected.Fields.Select(f => (f.Name, f.Value)).ToList(),
            actual.Fields.Select(f => (f.Name, f.Value)).ToList());
        Assert.Equal(Sorted(expected.HasLabels ? expected.Labels : null), Sorted(actual.HasLabels ? actual.Labels : null));
        Assert.Equal(Sorted(expected.HasMetadata ? expected.Metadata : null), Sorted(actual.HasMetadata ? actual.Metadata : null));
        Assert.Fail("The records differ.");
    }

    public static bool Same(DataRecord expected, DataRecord actual)
    {
        if (expected.Kind != actual.Kind || expected.Id != actual.Id || expected.ImagePath != actual.ImagePath || expected.Fields.Count != actual.Fields.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Fields.Count; i++)
        {
            if (expected.Fields[i].Name != actual.Fields[i].Name || expected.Fields[i].Value != actual.Fields[i].Value)
            {
                return false;
            }
        }

        return SameMap(expected.HasLabels ? expected.Labels : null, actual.HasLabels ? actual.Labels : null)
            && SameMap(expected.HasMetadata ? expected.Metadata : null, actual.HasMetadata ? actual.Metadata : null);
    }

    private static bool SameMap(IDictionary<string, string>? expected, IDictionary<string, string>? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }

        if (expected.Count != actual.Count)
        {
            return false;
        }

        foreach (var (key, value) in expected)
        {
            if (!actual.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    public static void Equal(IReadOnlyList<DataRecord> expected, IReadOnlyList<DataRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i]);
        }
    }

    private static List<KeyValuePair<string, string>> Sorted(IDictionary<string, string>? map) =>
        map is null ? [] : map.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
}

/// <summary>Records of every kind with awkward text: CJK, emoji, quotes, delimiters, line breaks, empty strings.</summary>
internal static class SampleRecords
{
    public const string Cjk = "数据集清洗与去重：日本語のテキスト、한국어 문장";
    public const string Emoji = "Ship it 🚀🔥 👩‍💻 ✅";
    public const string Awkward = "a, \"quoted\" value;\twith tab\nand a second line\r\nand CRLF";

    public static IReadOnlyList<DataRecord> For(RecordKind kind)
    {
        var records = kind switch
        {
            RecordKind.Text => new List<DataRecord>
            {
                DataRecord.CreateText("t1", Cjk),
                DataRecord.CreateText("t2", Emoji),
                DataRecord.CreateText("t3", Awkward),
                DataRecord.CreateText("t4", string.Empty),
            },
            RecordKind.Instruction => new List<DataRecord>
            {
                DataRecord.CreateInstruction("i1", "翻译成英文", Cjk, "Dataset cleaning and dedup"),
                DataRecord.CreateInstruction("i2", "Describe " + Emoji, string.Empty, Awkward),
            },
            RecordKind.Chat => new List<DataRecord>
            {
                DataRecord.CreateChat("c1", ("system", "You are terse."), ("user", Cjk), ("assistant", Emoji)),
                DataRecord.CreateChat("c2", ("user", Awkward), ("assistant", string.Empty), ("user", "again?"), ("assistant", "yes")),
            },
            RecordKind.Preference => new List<DataRecord>
            {
                DataRecord.CreatePreference("p1", Cjk, "好的回答 👍", "差的回答 👎"),
                DataRecord.CreatePreference("p2", Awkward, "\"chosen\"", ",rejected,"),
            },
            _ => new List<DataRecord>
            {
                DataRecord.CreateImageCaption("m1", "images/猫.png", Cjk),
                DataRecord.CreateImageCaption("m2", "images/a,b \"c\".jpg", Emoji + "\n" + Awkward),
            },
        };

        records[0].Labels["topic"] = "语言";
        records[0].Labels["quality"] = "high";
        records[^1].Metadata["source"] = "unit-test 🧪";
        return records;
    }
}
