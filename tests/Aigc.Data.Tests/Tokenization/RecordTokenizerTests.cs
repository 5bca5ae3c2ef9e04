using CsCheck;
using static Aigc.Data.Tests.Tokenization.TokenizationTestData;

namespace Aigc.Data.Tests.Tokenization;

public sealed class RecordTokenizerTests
{
    private static readonly RecordTokenizer ChatML = RecordTokenizer.CreateGpt2();

    [Fact]
    public void Gpt2_encodes_hello_world_to_the_known_ids_and_appends_a_trained_eos()
    {
        var example = ChatML.Tokenize(DataRecord.CreateText("t", "Hello world"));

        Assert.Equal([15496, 995, 50256], example.InputIds.ToArray());
        Assert.Equal([15496, 995, 50256], example.Labels.ToArray());
        Assert.Equal("t", example.Id);
        Assert.Equal(3, example.TrainedTokenCount);
        Assert.False(example.Truncated);
        Assert.Equal(50257, ChatML.VocabularySize);
        Assert.Equal(RecordTokenizer.Gpt2EndOfTextId, ChatML.EosTokenId);
    }

    [Theory]
    [InlineData("你好，世界")]
    [InlineData("日本語のテキストと한국어 텍스트")]
    [InlineData("emoji 🌍 family 👨‍👩‍👧 flag 🇫🇷 skin 👍🏽")]
    [InlineData("café naïve Ωμέγα Привет")]
    public void Cjk_and_emoji_round_trip_through_encode_and_decode(string text)
    {
        var example = ChatML.Tokenize(DataRecord.CreateText("t", text));

        Assert.Equal(text, Decode(example.InputIds[..^1].ToArray()));
    }

    [Fact]
    public void Any_mix_of_scripts_round_trips()
    {
        var atoms = Gen.OneOf("你", "好", "世界", "🌍", "👨‍👩‍👧", "🇯🇵", "a", "Z", " ", "  ", "\n", "é", "ß", "日本語", "한국어", "?!", "12", "\t", "ـع");
        atoms.Array[1, 24].Select(string.Concat).Sample(
            text => Assert.Equal(text, Decode(RecordTokenizer.Gpt2Tokenizer.EncodeToIds(text))),
            iter: 200,
            threads: 1);
    }

    [Fact]
    public void Chat_labels_mask_the_prompt_and_train_the_response_and_eos()
    {
        var example = ChatML.Tokenize(DataRecord.CreateChat("c", ("system", "Be brief."), ("user", "Capital of France?"), ("assistant", "Paris.")));

        var runs = Runs(example);
        Assert.Equal(2, runs.Count);
        Assert.False(runs[0].Trained);
        Assert.Equal(ChatTemplate.ChatML.RenderPrompt([("system", "Be brief."), ("user", "Capital of France?")]), Decode(runs[0].Ids));
        Assert.Equal(RecordTokenizer.Gpt2Tokenizer.EncodeToIds(ChatTemplate.ChatML.RenderPrompt([("system", "Be brief."), ("user", "Capital of France?")])), runs[0].Ids);
        Assert.True(runs[1].Trained);
        Assert.Equal(50256, runs[1].Ids[^1]);
        Assert.Equal("Paris.<|im_end|>\n", Decode(runs[1].Ids[..^1]));

        var ids = example.InputIds.Span;
        var labels = example.Labels.Span;
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(labels[i] == RecordTokenizer.IgnoreIndex || labels[i] == ids[i]);
        }
    }

    [Fact]
    public void Multi_turn_chat_trains_every_assistant_turn_and_masks_the_user_between()
    {
        var example = ChatML.Tokenize(DataRecord.CreateChat("c", ("user", "Q1"), ("assistant", "A1"), ("user", "Q2"), ("assistant", "A2")));

        var runs = Runs(example);
        Assert.Equal([false, true, false, true], runs.Select(r => r.Trained));
        Assert.Equal("A1<|im_end|>\n", Decode(runs[1].Ids));
        Assert.Equal("<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n", Decode(runs[2].Ids));
        Assert.Equal("A2<|im_end|>\n<|endoftext|>", Decode(runs[3].Ids));
    }

    [Fact]
    public void Alpaca_masks_the_instruction_prompt_and_trains_the_output()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(ChatTemplate.Alpaca);

        var example = tokenizer.Tokenize(DataRecord.CreateInstruction("a", "Add the numbers.", "2 and 3", "5"));

        var runs = Runs(example);
        Assert.Equal(2, runs.Count);
        Assert.Equal(ChatTemplate.Alpaca.RenderInstructionPrompt("Add the numbers.", "2 and 3"), Decode(runs[0].Ids));
        Assert.EndsWith("### Input:\n2 and 3\n\n### Response:\n", Decode(runs[0].Ids), StringComparison.Ordinal);
        Assert.Equal("5<|endoftext|>", Decode(runs[1].Ids));
    }

    [Fact]
    public void Plain_prompt_tokens_match_inference_even_where_bpe_would_merge_across_the_boundary()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(ChatTemplate.Plain);

        var example = tokenizer.Tokenize(DataRecord.CreateChat("c", ("user", "Hi"), ("assistant", "Hello")));

        var prompt = tokenizer.EncodePrompt([("user", "Hi")]);
        Assert.Equal(prompt, example.InputIds[..prompt.Length].ToArray());
        Assert.All(example.Labels[..prompt.Length].ToArray(), label => Assert.Equal(RecordTokenizer.IgnoreIndex, label));
        Assert.Equal("Hello\n<|endoftext|>", Decode(example.InputIds[prompt.Length..].ToArray()));
    }

    [Fact]
    public void Preference_trains_on_chosen_only()
    {
        var example = ChatML.Tokenize(DataRecord.CreatePreference("p", "Pick one.", "The good one.", "The bad one."));

        var text = Decode(example.InputIds.ToArray());
        Assert.Contains("The good one.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", text, StringComparison.Ordinal);
        Assert.Equal("The good one.<|im_end|>\n<|endoftext|>", Decode(Runs(example)[1].Ids));
    }

    [Fact]
    public void Truncation_keeps_the_first_tokens_without_eos()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { MaxLength = 2 });

        var cut = tokenizer.Tokenize(DataRecord.CreateText("t", "Hello world again"));
        var fits = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { MaxLength = 3 }).Tokenize(DataRecord.CreateText("t", "Hello world"));

        Assert.Equal([15496, 995], cut.InputIds.ToArray());
        Assert.True(cut.Truncated);
        Assert.Equal([15496, 995, 50256], fits.InputIds.ToArray());
        Assert.False(fits.Truncated);
    }

    [Fact]
    public void Reject_mode_refuses_long_records_with_the_limit_in_the_reason()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { MaxLength = 2, Truncation = TruncationMode.Reject });

        var ok = tokenizer.TryTokenize(DataRecord.CreateText("t", "Hello world"), out var example, out var reason);

        Assert.False(ok);
        Assert.Null(example);
        Assert.Contains("MaxLength", reason, StringComparison.Ordinal);
        Assert.Contains("3 tokens", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prompt_longer_than_the_limit_leaves_nothing_to_train_and_is_refused()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { MaxLength = 4 });

        var ok = tokenizer.TryTokenize(DataRecord.CreateChat("c", ("user", "A rather long question indeed?"), ("assistant", "Yes.")), out _, out var reason);

        Assert.False(ok);
        Assert.Contains("no trained token", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_tokens_in_content_are_refused_unless_allowed()
    {
        var record = DataRecord.CreateText("t", "a<|endoftext|>b");

        Assert.False(ChatML.TryTokenize(record, out _, out var reason));
        Assert.Contains("<|endoftext|>", reason, StringComparison.Ordinal);

        var allowed = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { SpecialTokensInContent = SpecialTokenPolicy.Allow }).Tokenize(record);
        Assert.Equal([64, 50256, 65, 50256], allowed.InputIds.ToArray());
    }

    [Fact]
    public void Eos_can_be_left_out_or_replaced()
    {
        var none = RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { AppendEos = false }).Tokenize(DataRecord.CreateText("t", "Hello world"));
        var other = new RecordTokenizer(RecordTokenizer.Gpt2Tokenizer, "gpt2-custom", options: new RecordTokenizerOptions { EosTokenId = 0 }).Tokenize(DataRecord.CreateText("t", "Hello world"));

        Assert.Equal([15496, 995], none.InputIds.ToArray());
        Assert.Equal([15496, 995, 0], other.InputIds.ToArray());
    }

    [Fact]
    public void Tokenize_throws_with_the_record_id_and_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => ChatML.Tokenize(DataRecord.CreateChat("lonely", ("user", "Anyone?"))));

        Assert.Contains("lonely", e.Message, StringComparison.Ordinal);
        Assert.Contains("assistant", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizeAsync_rejects_through_the_context_and_counts()
    {
        var context = new DataStepContext(TokenizeAndPack.StepId);
        var statistics = new PackingStatistics();
        DataRecord[] records = [DataRecord.CreateText("ok", "Fine."), DataRecord.CreateChat("bad", ("user", "No answer")), DataRecord.CreateImageCaption("img", "x.png", "cat")];

        var examples = await ChatML.TokenizeAsync(records.ToAsyncEnumerable(), context, statistics).ToListAsync();

        Assert.Equal(["ok"], examples.Select(e => e.Id));
        Assert.Equal(["bad", "img"], context.Rejects.Select(r => r.RecordId));
        Assert.Equal(1, statistics.Records);
        Assert.Equal(2, statistics.RecordsRejected);
    }

    [Fact]
    public void Parameters_hold_the_tokenizer_and_the_template()
    {
        var chatml = ChatML.Parameters;
        var alpaca = RecordTokenizer.CreateGpt2(ChatTemplate.Alpaca).Parameters;

        Assert.Equal("gpt2", chatml["tokenizer"]);
        Assert.Equal("50256", chatml["eos_token_id"]);
        Assert.Equal("chatml", chatml["template.name"]);
        Assert.Equal("alpaca", alpaca["template.name"]);
        Assert.NotEqual(chatml["template.turn.user"], alpaca["template.turn.user"]);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { MaxLength = 0 }));
        Assert.Throws<ArgumentException>(() => RecordTokenizer.CreateGpt2(options: new RecordTokenizerOptions { EosTokenId = -1 }));
        Assert.Throws<ArgumentNullException>(() => new RecordTokenizer(null!, "x"));
    }
}
