using Aigc.Data;

namespace Aigc.Data.Tests.Augmentation;

public sealed class CharacterNoiseStepTests
{
    private const string Text = "The quick brown fox, 42 times: jumps over the lazy dog!";

    private static string NonAlphanumeric(string text) => new(text.Where(c => !char.IsLetterOrDigit(c)).ToArray());

    [Fact]
    public async Task Copies_have_typos_only_in_letters_and_digits()
    {
        var step = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0.2, CopiesPerRecord = 3 });

        var (output, context) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("t", Text)]);

        Assert.Equal(4, output.Count);
        Assert.Equal(Text, output[0].GetText());
        foreach (var copy in output.Skip(1))
        {
            Assert.NotEqual(Text, copy.GetText());
            Assert.Equal(NonAlphanumeric(Text), NonAlphanumeric(copy.GetText()));
            Assert.Equal("char-noise", copy.Metadata[AugmentMetadataKeys.Method]);
            Assert.Equal("t", copy.Metadata[AugmentMetadataKeys.Source]);
        }

        Assert.Equal(3, context.AddedCount);
        AugmentRunner.AssertReconciles(1, output, context);
    }

    [Fact]
    public async Task Neighbour_substitution_uses_qwerty_neighbours_and_keeps_case()
    {
        var step = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 1, Operations = CharacterNoiseOperations.SubstituteNeighbor });

        var (output, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateText("t", "aaaa AAAA")]);

        var copy = output[1].GetText();
        Assert.Equal(9, copy.Length);
        Assert.All(copy[..4], c => Assert.Contains(c, "qwsz"));
        Assert.Equal(' ', copy[4]);
        Assert.All(copy[5..], c => Assert.Contains(c, "QWSZ"));
    }

    [Fact]
    public async Task Swap_drop_and_duplicate_each_do_what_they_say()
    {
        var swap = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 1, Operations = CharacterNoiseOperations.SwapAdjacent });
        var drop = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0.3, Operations = CharacterNoiseOperations.Drop, CopiesPerRecord = 5 });
        var duplicate = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 1, Operations = CharacterNoiseOperations.Duplicate });

        var (swapped, _) = await AugmentRunner.RunAsync(swap, [DataRecord.CreateText("t", "abcd")]);
        var (dropped, _) = await AugmentRunner.RunAsync(drop, [DataRecord.CreateText("t", Text)]);
        var (duplicated, _) = await AugmentRunner.RunAsync(duplicate, [DataRecord.CreateText("t", "ab c")]);

        Assert.Equal("badc", swapped[1].GetText());
        Assert.All(dropped.Skip(1), r =>
        {
            Assert.True(r.GetText().Length < Text.Length);
            Assert.Equal(NonAlphanumeric(Text), NonAlphanumeric(r.GetText()));
        });
        Assert.Equal("aabb cc", duplicated[1].GetText());
    }

    [Fact]
    public async Task A_field_is_never_emptied_and_emoji_and_cjk_stay_intact()
    {
        var drop = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 1, Operations = CharacterNoiseOperations.Drop });
        var any = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 1 });

        var (single, singleContext) = await AugmentRunner.RunAsync(drop, [DataRecord.CreateText("t", "a")]);
        var (mixed, _) = await AugmentRunner.RunAsync(any, [DataRecord.CreateText("t", "ok 🙂 好")]);

        Assert.Single(single);
        Assert.Equal(1, singleContext.Counters["augment.char-noise.skipped"]);
        Assert.Contains("🙂", mixed[1].GetText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_is_deterministic_per_seed_and_independent_of_order()
    {
        var step = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0.1, CopiesPerRecord = 2 });
        var records = Enumerable.Range(0, 20).Select(i => DataRecord.CreateText("r" + i, Text + " " + i)).ToArray();

        var (a, _) = await AugmentRunner.RunAsync(step, records.Select(r => r.Clone()), seed: 3);
        var (b, _) = await AugmentRunner.RunAsync(step, records.Reverse().Select(r => r.Clone()), seed: 3);
        var (c, _) = await AugmentRunner.RunAsync(step, records.Select(r => r.Clone()), seed: 4);

        static List<string> Render(IEnumerable<DataRecord> output) => output.Select(r => r.Id + "|" + r.GetText()).Order().ToList();
        Assert.Equal(Render(a), Render(b));
        Assert.NotEqual(Render(a), Render(c));
    }

    [Fact]
    public async Task Chat_records_get_noise_in_user_messages_only()
    {
        var record = DataRecord.CreateChat("c", ("system", "You are helpful."), ("user", "please summarise this report"), ("assistant", "Here is the summary."));
        var step = new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0.3 });

        var (output, _) = await AugmentRunner.RunAsync(step, [record]);

        var copy = output[1];
        Assert.Equal("You are helpful.", copy.Fields[0].Value);
        Assert.NotEqual("please summarise this report", copy.Fields[1].Value);
        Assert.Equal("Here is the summary.", copy.Fields[2].Value);
    }

    [Fact]
    public void Invalid_options_throw_listing_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new CharacterNoiseStep(new CharacterNoiseOptions { Rate = 0, Operations = CharacterNoiseOperations.None, CopiesPerRecord = -1 }));

        Assert.Contains("Rate", error.Message, StringComparison.Ordinal);
        Assert.Contains("Operations", error.Message, StringComparison.Ordinal);
        Assert.Contains("CopiesPerRecord", error.Message, StringComparison.Ordinal);
        Assert.Equal("augment.char-noise", new CharacterNoiseStep().Id);
    }
}
