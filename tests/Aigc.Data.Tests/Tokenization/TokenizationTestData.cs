namespace Aigc.Data.Tests.Tokenization;

internal static class TokenizationTestData
{
    public static string Decode(IEnumerable<int> ids) => RecordTokenizer.Gpt2Tokenizer.Decode(ids) ?? string.Empty;

    /// <summary>Splits an example into runs of masked or trained tokens, in order.</summary>
    public static List<(bool Trained, int[] Ids)> Runs(TokenizedExample example)
    {
        var ids = example.InputIds.Span;
        var labels = example.Labels.Span;
        var runs = new List<(bool Trained, int[] Ids)>();
        var start = 0;
        for (var i = 1; i <= ids.Length; i++)
        {
            if (i == ids.Length || (labels[i] != RecordTokenizer.IgnoreIndex) != (labels[start] != RecordTokenizer.IgnoreIndex))
            {
                runs.Add((labels[start] != RecordTokenizer.IgnoreIndex, ids[start..i].ToArray()));
                start = i;
            }
        }

        return runs;
    }

    /// <summary>An example whose ids are first, first + 1, …, all trained (ids are unique so tokens can be traced).</summary>
    public static TokenizedExample Example(string id, int length, int first)
    {
        var ids = new int[length];
        for (var i = 0; i < length; i++)
        {
            ids[i] = first + i;
        }

        return new TokenizedExample(id, ids, ids.ToArray());
    }

    public static DataRecord[] MixedRecords(int count)
    {
        var records = new List<DataRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add((i % 4) switch
            {
                0 => DataRecord.CreateChat($"c{i}", ("system", "You are terse."), ("user", $"What is {i} + {i}?"), ("assistant", $"{i + i}.")),
                1 => DataRecord.CreateInstruction($"i{i}", "Translate to French.", $"Good morning number {i}", $"Bonjour numéro {i}"),
                2 => DataRecord.CreateText($"t{i}", $"东京是日本的首都。 Record {i} 🌸 ends here."),
                _ => DataRecord.CreatePreference($"p{i}", $"Name a color #{i}.", "Blue.", "I refuse."),
            });
        }

        return [.. records];
    }
}
