using Aigc.Data;

namespace Aigc.Quickstart.Stages;

/// <summary>The held-out set: Aurora products of the test split, as Alpaca prompts and reference descriptions.</summary>
internal sealed record HeldOut(IReadOnlyList<DataRecord> Records)
{
    public IEnumerable<string> Prompts => Records.Select(Prompt);

    public IReadOnlyList<string> References => [.. Records.Select(r => r.GetField(FieldNames.Output)!)];

    public static string Prompt(DataRecord record) =>
        ChatTemplate.Alpaca.RenderInstructionPrompt(record.GetField(FieldNames.Instruction)!, record.GetField(FieldNames.Input));

    public static async Task<HeldOut> LoadAsync(IDatasetStore store, DatasetReference dataset, int count, CancellationToken cancellationToken)
    {
        var records = await store.ReadAsync(dataset.Name, dataset.Version, "test", cancellationToken)
            .Where(r => r.Labels.TryGetValue("style", out var s) && s == SyntheticCatalog.Aurora)
            .Take(count)
            .ToListAsync(cancellationToken);
        return new HeldOut(records);
    }
}
