using Aigc.Data;
using CsCheck;

namespace Aigc.Data.Tests.Augmentation;

public sealed class EdaAugmentStepTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_synonyms = new()
    {
        ["quick"] = ["fast", "rapid", "speedy"],
        ["happy"] = ["glad", "joyful"],
        ["dog"] = ["hound", "canine"],
        ["big"] = ["large", "huge"],
    };

    private const string Sentence = "the quick brown fox jumps over the lazy dog while a big happy cat watches the quick river";

    private static EdaOptions Only(string operation, double alpha = 0.2, int copies = 4) => new()
    {
        SynonymReplacementAlpha = operation == "sr" ? alpha : 0,
        RandomInsertionAlpha = operation == "ri" ? alpha : 0,
        RandomSwapAlpha = operation == "rs" ? alpha : 0,
        RandomDeletionAlpha = operation == "rd" ? alpha : 0,
        CopiesPerRecord = copies,
    };

    private static DataRecord[] Texts(int count)
    {
        var records = new DataRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = DataRecord.CreateText("r" + i, Sentence + " number " + i);
        }

        return records;
    }

    [Fact]
    public async Task Originals_are_kept_and_followed_by_copies_with_ids_source_and_method()
    {
        var original = DataRecord.CreateText("doc-1", Sentence);
        original.Labels["style"] = "casual";
        var step = new EdaAugmentStep(s_synonyms);

        var (output, context) = await AugmentRunner.RunAsync(step, [original]);

        Assert.Same(original, output[0]);
        Assert.Equal(Sentence, output[0].GetText());
        Assert.InRange(output.Count, 2, 5);
        for (var i = 1; i < output.Count; i++)
        {
            var copy = output[i];
            Assert.Matches(@"^doc-1#aug[1-4]$", copy.Id);
            Assert.Equal("doc-1", copy.Metadata[AugmentMetadataKeys.Source]);
            Assert.StartsWith("eda.", copy.Metadata[AugmentMetadataKeys.Method], StringComparison.Ordinal);
            Assert.Equal("casual", copy.Labels["style"]);
            Assert.NotEqual(Sentence, copy.GetText());
        }

        Assert.Equal(output.Count - 1, context.AddedCount);
        Assert.Equal(context.AddedCount, context.Counters["augment.eda.copies"]);
        AugmentRunner.AssertReconciles(1, output, context);
    }

    [Fact]
    public async Task The_four_operations_take_turns_across_copies()
    {
        var step = new EdaAugmentStep(s_synonyms, new EdaOptions { CopiesPerRecord = 4 });

        var (output, _) = await AugmentRunner.RunAsync(step, Texts(10));

        var methods = new HashSet<string>();
        foreach (var record in output)
        {
            if (record.HasMetadata && record.Metadata.TryGetValue(AugmentMetadataKeys.Method, out var method))
            {
                methods.Add(method);
            }
        }

        Assert.Equal(["eda.random-deletion", "eda.random-insertion", "eda.random-swap", "eda.synonym-replacement"], methods.Order());
    }

    [Fact]
    public async Task Random_swap_keeps_the_multiset_of_words_and_the_line_breaks()
    {
        var text = "alpha beta gamma\ndelta epsilon zeta eta theta";
        var step = new EdaAugmentStep(s_synonyms, Only("rs", alpha: 0.3));

        var (output, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("1", text)]);

        Assert.True(output.Count > 1);
        foreach (var copy in output.Skip(1))
        {
            Assert.Equal(AugmentRunner.Words(text).Order(), AugmentRunner.Words(copy.GetText()).Order());
            Assert.Equal(1, copy.GetText().Count(c => c == '\n'));
            Assert.Equal("eda.random-swap", copy.Metadata[AugmentMetadataKeys.Method]);
        }
    }

    [Fact]
    public async Task Random_deletion_keeps_an_ordered_non_empty_subset_of_words()
    {
        var step = new EdaAugmentStep(s_synonyms, Only("rd", alpha: 0.9, copies: 8));
        DataRecord[] records = [DataRecord.CreateText("one", "single"), DataRecord.CreateText("two", "two words"), DataRecord.CreateText("long", Sentence)];

        var (output, context) = await AugmentRunner.RunAsync(step, records);

        Assert.Empty(AugmentRunner.CopiesOf(output, "one"));
        foreach (var record in records)
        {
            var original = AugmentRunner.Words(record.GetText());
            foreach (var copy in AugmentRunner.CopiesOf(output, record.Id))
            {
                var words = AugmentRunner.Words(copy.GetText());
                Assert.NotEmpty(words);
                Assert.True(words.Length < original.Length);
                Assert.True(IsSubsequence(words, original), copy.GetText());
            }
        }

        Assert.True(context.Counters["augment.eda.skipped"] >= 8);
        AugmentRunner.AssertReconciles(3, output, context);
    }

    [Fact]
    public async Task Synonym_replacement_only_uses_the_map()
    {
        var step = new EdaAugmentStep(s_synonyms, Only("sr", alpha: 0.5));

        var (output, _) = await AugmentRunner.RunAsync(step, Texts(5));

        var copies = output.Where(r => r.Id.Contains("#aug", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var original = AugmentRunner.Words(output.Single(r => r.Id == copy.Metadata[AugmentMetadataKeys.Source]).GetText());
            var words = AugmentRunner.Words(copy.GetText());
            Assert.Equal(original.Length, words.Length);
            var changed = 0;
            for (var i = 0; i < words.Length; i++)
            {
                if (words[i] != original[i])
                {
                    changed++;
                    Assert.Contains(words[i], s_synonyms[original[i]]);
                }
            }

            Assert.InRange(changed, 1, 5);
        }
    }

    [Fact]
    public async Task Synonym_replacement_keeps_punctuation_and_capitalisation()
    {
        var map = new Dictionary<string, IReadOnlyList<string>> { ["happy"] = ["glad"] };
        var step = new EdaAugmentStep(map, Only("sr", alpha: 1, copies: 1));

        var (output, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("1", "Happy, HAPPY \"happy\".")]);

        Assert.Equal("Glad, GLAD \"glad\".", output[1].GetText());
    }

    [Fact]
    public async Task Random_insertion_adds_only_synonyms_of_words_in_the_text()
    {
        var step = new EdaAugmentStep(s_synonyms, Only("ri", alpha: 0.2));

        var (output, _) = await AugmentRunner.RunAsync(step, Texts(5));

        var allowed = new HashSet<string>(s_synonyms.Values.SelectMany(v => v));
        foreach (var copy in output.Where(r => r.Id.Contains("#aug", StringComparison.Ordinal)))
        {
            var original = AugmentRunner.Words(output.Single(r => r.Id == copy.Metadata[AugmentMetadataKeys.Source]).GetText());
            var words = AugmentRunner.Words(copy.GetText());
            Assert.True(words.Length > original.Length);
            var inserted = words.ToList();
            foreach (var word in original)
            {
                inserted.Remove(word);
            }

            Assert.Equal(words.Length - original.Length, inserted.Count);
            Assert.All(inserted, w => Assert.Contains(w, allowed));
        }
    }

    [Fact]
    public async Task Without_synonyms_in_the_text_replacement_and_insertion_add_nothing()
    {
        var step = new EdaAugmentStep(s_synonyms, new EdaOptions { RandomSwapAlpha = 0, RandomDeletionAlpha = 0 });

        var (output, context) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("1", "no mapped words here")]);

        Assert.Single(output);
        Assert.Equal(4, context.Counters["augment.eda.skipped"]);
        Assert.Equal(0, context.AddedCount);
    }

    [Fact]
    public async Task Instruction_records_augment_instruction_and_input_but_never_the_output()
    {
        var record = DataRecord.CreateInstruction("i1", "write a quick note about the big dog", "the dog is happy and quick", "The quick dog is big and happy.");
        var step = new EdaAugmentStep(s_synonyms, new EdaOptions { CopiesPerRecord = 8 });

        var (output, _) = await AugmentRunner.RunAsync(step, [record]);

        Assert.True(output.Count > 1);
        Assert.All(output, r => Assert.Equal("The quick dog is big and happy.", r.GetField(FieldNames.Output)));
        Assert.Contains(output.Skip(1), r => r.GetField(FieldNames.Instruction) != record.GetField(FieldNames.Instruction));
    }

    [Fact]
    public async Task Configured_fields_replace_the_defaults()
    {
        var record = DataRecord.CreateInstruction("i1", "keep this instruction as it is", "", "the quick dog is big and happy today");
        var step = new EdaAugmentStep(s_synonyms, new EdaOptions { Fields = [FieldNames.Output] });

        var (output, _) = await AugmentRunner.RunAsync(step, [record]);

        Assert.True(output.Count > 1);
        Assert.All(output, r => Assert.Equal("keep this instruction as it is", r.GetField(FieldNames.Instruction)));
        Assert.All(output.Skip(1), r => Assert.NotEqual(record.GetField(FieldNames.Output), r.GetField(FieldNames.Output)));
    }

    [Fact]
    public async Task Same_seed_gives_the_same_output_and_record_order_does_not_matter()
    {
        var step = new EdaAugmentStep(s_synonyms);
        var records = Texts(20);

        var (first, _) = await AugmentRunner.RunAsync(step, records.Select(r => r.Clone()), seed: 7);
        var (again, _) = await AugmentRunner.RunAsync(step, records.Select(r => r.Clone()), seed: 7);
        var (reversed, _) = await AugmentRunner.RunAsync(step, records.Reverse().Select(r => r.Clone()), seed: 7);
        var (otherSeed, _) = await AugmentRunner.RunAsync(step, records.Select(r => r.Clone()), seed: 8);

        Assert.Equal(Render(first), Render(again));
        Assert.Equal(Render(first).Order(), Render(reversed).Order());
        Assert.NotEqual(Render(first), Render(otherSeed));
    }

    [Fact]
    public async Task The_step_seed_overrides_the_pipeline_seed_and_is_in_the_parameters()
    {
        var step = new EdaAugmentStep(s_synonyms, new EdaOptions { Seed = 5 });

        var (a, _) = await AugmentRunner.RunAsync(step, Texts(5), seed: 1);
        var (b, _) = await AugmentRunner.RunAsync(step, Texts(5), seed: 2);

        Assert.Equal(Render(a), Render(b));
        Assert.Equal("5", step.Parameters["seed"]);
        Assert.Equal("pipeline", new EdaAugmentStep(s_synonyms).Parameters["seed"]);
    }

    [Fact]
    public void Parameters_hash_the_synonym_map_content()
    {
        var same = new Dictionary<string, IReadOnlyList<string>>(s_synonyms.Reverse());
        var changed = new Dictionary<string, IReadOnlyList<string>>(s_synonyms) { ["dog"] = ["hound"] };

        var step = new EdaAugmentStep(s_synonyms);

        Assert.Equal(step.Parameters["synonyms"], new EdaAugmentStep(same).Parameters["synonyms"]);
        Assert.NotEqual(step.Parameters["synonyms"], new EdaAugmentStep(changed).Parameters["synonyms"]);
        Assert.Equal("0.1", step.Parameters["alpha-sr"]);
        Assert.Equal("4", step.Parameters["copies"]);
        Assert.Equal("augment.eda", step.Id);
    }

    [Fact]
    public void Invalid_options_throw_one_exception_listing_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new EdaAugmentStep(s_synonyms, new EdaOptions { RandomSwapAlpha = 2, CopiesPerRecord = 0, Fields = [" "] }));

        Assert.Contains("RandomSwapAlpha", error.Message, StringComparison.Ordinal);
        Assert.Contains("CopiesPerRecord", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fields[0]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new EdaAugmentStep(s_synonyms, Only("none")));
    }

    [Fact]
    public async Task Property_swap_and_deletion_hold_for_any_text()
    {
        var word = Gen.Char['a', 'e'].Array[1, 4].Select(chars => new string(chars));
        var swap = new EdaAugmentStep(s_synonyms, Only("rs", alpha: 0.5, copies: 3));
        var delete = new EdaAugmentStep(s_synonyms, Only("rd", alpha: 0.7, copies: 3));

        await word.Array[1, 12].SampleAsync(async words =>
        {
            var text = string.Join(' ', words);
            var (swapped, swapContext) = await AugmentRunner.RunAsync(swap, [DataRecord.CreateText("p", text)]);
            var (deleted, deleteContext) = await AugmentRunner.RunAsync(delete, [DataRecord.CreateText("p", text)]);

            AugmentRunner.AssertReconciles(1, swapped, swapContext);
            AugmentRunner.AssertReconciles(1, deleted, deleteContext);
            foreach (var copy in swapped.Skip(1))
            {
                Assert.Equal(words.Order(), AugmentRunner.Words(copy.GetText()).Order());
            }

            foreach (var copy in deleted.Skip(1))
            {
                var kept = AugmentRunner.Words(copy.GetText());
                Assert.NotEmpty(kept);
                Assert.True(IsSubsequence(kept, words));
            }
        }, iter: 100);
    }

    private static List<string> Render(List<DataRecord> records) => records.Select(r => r.Id + "|" + r.GetText()).ToList();

    private static bool IsSubsequence(string[] subsequence, string[] sequence)
    {
        var j = 0;
        foreach (var word in sequence)
        {
            if (j < subsequence.Length && subsequence[j] == word)
            {
                j++;
            }
        }

        return j == subsequence.Length;
    }
}
