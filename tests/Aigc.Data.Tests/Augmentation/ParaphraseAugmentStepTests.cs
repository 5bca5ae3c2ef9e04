using System.Text.Json;
using Aigc.Data;
using Microsoft.Extensions.AI;

namespace Aigc.Data.Tests.Augmentation;

public sealed class ParaphraseAugmentStepTests
{
    private static string TextOf(string prompt) => prompt[(prompt.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..];

    private static FakeChatClient Paraphraser() => new((prompt, options) => "rewritten " + TextOf(prompt) + " #" + options.Seed);

    [Fact]
    public async Task Each_record_gets_n_paraphrases_after_it_in_input_order()
    {
        var client = Paraphraser();
        var step = new ParaphraseAugmentStep(client, new ParaphraseOptions { CopiesPerRecord = 3, MaxConcurrency = 4 });
        var records = Enumerable.Range(0, 12).Select(i => DataRecord.CreateText("r" + i, new string('x', i) + " text " + i)).ToList();

        var (output, context) = await AugmentRunner.RunAsync(step, records);

        Assert.Equal(48, output.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Same(records[i], output[i * 4]);
            for (var k = 1; k <= 3; k++)
            {
                var copy = output[(i * 4) + k];
                Assert.Equal($"r{i}#aug{k}", copy.Id);
                Assert.StartsWith("rewritten " + records[i].GetText(), copy.GetText(), StringComparison.Ordinal);
                Assert.Equal("paraphrase", copy.Metadata[AugmentMetadataKeys.Method]);
                Assert.Equal("r" + i, copy.Metadata[AugmentMetadataKeys.Source]);
            }
        }

        Assert.Equal(36, client.Calls.Count);
        Assert.Equal(36, context.AddedCount);
        AugmentRunner.AssertReconciles(records.Count, output, context);
    }

    [Fact]
    public async Task Chat_options_carry_model_temperature_and_a_seed_per_copy_that_repeats_across_runs()
    {
        var client = Paraphraser();
        var step = new ParaphraseAugmentStep(client, new ParaphraseOptions { ModelId = "gpt-x-2025", Temperature = 0.3f, CopiesPerRecord = 2 });

        await AugmentRunner.RunAsync(step, [DataRecord.CreateText("a", "hello world")], seed: 11);
        var first = client.Calls.Select(c => c.Options.Seed).Order().ToList();
        client.Calls.Clear();
        await AugmentRunner.RunAsync(step, [DataRecord.CreateText("a", "hello world")], seed: 11);
        var again = client.Calls.Select(c => c.Options.Seed).Order().ToList();

        Assert.All(client.Calls, c =>
        {
            Assert.Equal("gpt-x-2025", c.Options.ModelId);
            Assert.Equal(0.3f, c.Options.Temperature);
            Assert.Contains("Paraphrase", c.Prompt, StringComparison.Ordinal);
        });
        Assert.Equal(2, first.Distinct().Count());
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_failing_call_skips_that_copy_only_counts_it_and_reports_it()
    {
        var failures = 0;
        var client = new FakeChatClient((prompt, options) =>
        {
            if (prompt.Contains("flaky", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1)
            {
                throw new HttpRequestException("503 Service Unavailable");
            }

            return prompt.Contains("broken", StringComparison.Ordinal) ? throw new InvalidOperationException("model down") : "new " + TextOf(prompt) + " #" + options.Seed;
        });
        var step = new ParaphraseAugmentStep(client, new ParaphraseOptions { CopiesPerRecord = 3 });
        DataRecord[] records = [DataRecord.CreateText("ok", "fine text"), DataRecord.CreateText("flaky", "flaky text"), DataRecord.CreateText("broken", "broken text")];

        var (output, context) = await AugmentRunner.RunAsync(step, records);

        Assert.Equal(["ok", "ok#aug1", "ok#aug2", "ok#aug3", "flaky"], output.Take(5).Select(r => r.Id));
        Assert.Equal(["ok", "flaky", "broken"], output.Where(r => !r.Id.Contains('#')).Select(r => r.Id));
        Assert.Equal("broken", output[^1].Id);
        Assert.Equal(2, AugmentRunner.CopiesOf(output, "flaky").Count);
        Assert.Empty(AugmentRunner.CopiesOf(output, "broken"));
        Assert.Equal(4, context.Counters["augment.paraphrase.failures"]);
        Assert.Equal(5, context.AddedCount);
        AugmentRunner.AssertReconciles(3, output, context);

        using var report = JsonDocument.Parse(context.Reports["augment.paraphrase.failures"]);
        var entries = report.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        Assert.Equal("broken", entries[0].GetProperty("recordId").GetString());
        Assert.Contains("model down", entries[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(entries, e => e.GetProperty("error").GetString()!.Contains("503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Empty_and_unchanged_answers_add_no_copy()
    {
        var client = new FakeChatClient((prompt, _) => TextOf(prompt) switch { "say nothing" => "  ", var text => text });
        var step = new ParaphraseAugmentStep(client, new ParaphraseOptions { CopiesPerRecord = 2 });

        var (output, context) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("a", "say nothing"), DataRecord.CreateText("b", "echo")]);

        Assert.Equal(["a", "b"], output.Select(r => r.Id));
        Assert.Equal(2, context.Counters["augment.paraphrase.failures"]);
        Assert.Equal(2, context.Counters["augment.paraphrase.unchanged"]);
    }

    [Fact]
    public async Task Back_translation_makes_two_calls_through_the_pivot_language()
    {
        var client = new FakeChatClient((prompt, _) => prompt.StartsWith("Translate the following text into German", StringComparison.Ordinal)
            ? "DE(" + TextOf(prompt) + ")"
            : prompt.StartsWith("Translate the following German text into English", StringComparison.Ordinal) ? "back " + TextOf(prompt) : "unexpected");
        var step = new ParaphraseAugmentStep(client, new ParaphraseOptions { Mode = ParaphraseMode.BackTranslation, PivotLanguage = "German", CopiesPerRecord = 1 });

        var (output, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("a", "good morning")]);

        Assert.Equal(2, client.Calls.Count);
        Assert.Equal("back DE(good morning)", output[1].GetText());
        Assert.Equal("back-translation", output[1].Metadata[AugmentMetadataKeys.Method]);
        Assert.Contains("German", step.Parameters["forward-prompt"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instruction_records_paraphrase_the_instruction_by_default_or_the_configured_field()
    {
        var client = Paraphraser();
        var byDefault = new ParaphraseAugmentStep(client, new ParaphraseOptions { CopiesPerRecord = 1 });
        var byField = new ParaphraseAugmentStep(client, new ParaphraseOptions { CopiesPerRecord = 1, Field = FieldNames.Input });
        var record = DataRecord.CreateInstruction("i", "Summarise the text.", "A long text.", "Short.");

        var (a, _) = await AugmentRunner.RunAsync(byDefault, [record.Clone()]);
        var (b, context) = await AugmentRunner.RunAsync(byField, [record.Clone(), DataRecord.CreateInstruction("j", "x", "", "y")]);

        Assert.StartsWith("rewritten Summarise the text.", a[1].GetField(FieldNames.Instruction), StringComparison.Ordinal);
        Assert.Equal("Short.", a[1].GetField(FieldNames.Output));
        Assert.Equal("Summarise the text.", b[1].GetField(FieldNames.Instruction));
        Assert.StartsWith("rewritten A long text.", b[1].GetField(FieldNames.Input), StringComparison.Ordinal);
        Assert.Equal(1, context.Counters["augment.paraphrase.no-text"]);
    }

    [Fact]
    public async Task Concurrency_is_bounded_and_does_not_change_the_output()
    {
        var records = Enumerable.Range(0, 16).Select(i => DataRecord.CreateText("r" + i, new string('y', i % 5) + " t" + i)).ToList();
        var narrowClient = Paraphraser();
        var wideClient = Paraphraser();

        var (narrow, _) = await AugmentRunner.RunAsync(new ParaphraseAugmentStep(narrowClient, new ParaphraseOptions { MaxConcurrency = 1, CopiesPerRecord = 3 }), records.Select(r => r.Clone()));
        var (wide, _) = await AugmentRunner.RunAsync(new ParaphraseAugmentStep(wideClient, new ParaphraseOptions { MaxConcurrency = 3, CopiesPerRecord = 3 }), records.Select(r => r.Clone()));

        Assert.Equal(1, narrowClient.MaxActive);
        Assert.InRange(wideClient.MaxActive, 1, 3);
        Assert.Equal(narrow.Select(r => r.Id + "|" + r.GetText()), wide.Select(r => r.Id + "|" + r.GetText()));
    }

    [Fact]
    public async Task Cancellation_stops_the_run_and_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var client = new FakeChatClient((prompt, _) =>
        {
            cancellation.Cancel();
            return "x";
        });
        var step = new ParaphraseAugmentStep(client);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AugmentRunner.RunAsync(step, [DataRecord.CreateText("a", "one"), DataRecord.CreateText("b", "two")], cancellationToken: cancellation.Token));
    }

    [Fact]
    public void Parameters_record_model_prompt_and_settings()
    {
        var step = new ParaphraseAugmentStep(Paraphraser(), new ParaphraseOptions { PromptTemplate = "Rephrase: {text}" });
        var explicitModel = new ParaphraseAugmentStep(Paraphraser(), new ParaphraseOptions { ModelId = "m2" });

        Assert.Equal("augment.paraphrase", step.Id);
        Assert.Equal("fake-model-1", step.Parameters["model"]);
        Assert.Equal("m2", explicitModel.Parameters["model"]);
        Assert.Equal("Rephrase: {text}", step.Parameters["prompt"]);
        Assert.Equal("Paraphrase", step.Parameters["mode"]);
        Assert.Equal("2", step.Parameters["copies"]);
        Assert.False(step.Parameters.ContainsKey("max-concurrency"));
    }

    [Fact]
    public void Invalid_options_throw_listing_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new ParaphraseAugmentStep(Paraphraser(), new ParaphraseOptions { PromptTemplate = "no placeholder", MaxConcurrency = 0, CopiesPerRecord = 0 }));

        Assert.Contains("PromptTemplate", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", error.Message, StringComparison.Ordinal);
        Assert.Contains("CopiesPerRecord", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ParaphraseAugmentStep(Paraphraser(), new ParaphraseOptions { Mode = ParaphraseMode.BackTranslation, PivotLanguage = "" }));
        Assert.Throws<ArgumentNullException>(() => new ParaphraseAugmentStep(null!));
    }
}
