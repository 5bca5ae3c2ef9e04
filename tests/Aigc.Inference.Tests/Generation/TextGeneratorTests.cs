using Microsoft.ML.Tokenizers;

namespace Aigc.Inference.Tests.Generation;

public sealed class TextGeneratorTests
{
    internal static readonly Tokenizer Gpt2 = TiktokenTokenizer.CreateForModel("gpt2");

    internal static GenerationEngine Gpt2Engine() => EngineTestHelpers.Engine(TestModels.Models.Gpt2Vocab, o => o.ModelName = "tiny-gpt2");

    [Fact]
    public void Streaming_decoding_never_splits_a_multi_byte_character()
    {
        const string text = "héllo wörld 😀👍🏽 世界 ✓ naïve";
        var ids = Gpt2.EncodeToIds(text);
        Assert.True(ids.Count > text.Length / 3, "byte-level BPE splits the emoji and CJK characters into several tokens");
        var detokenizer = new IncrementalDetokenizer(Gpt2);

        var deltas = ids.Select(detokenizer.Append).Append(detokenizer.Flush()).ToList();

        Assert.Equal(text, string.Concat(deltas));
        Assert.Contains(deltas, d => d.Length == 0); // some tokens were held back mid-character
        foreach (var delta in deltas.Where(d => d.Length > 0))
        {
            Assert.DoesNotContain('\uFFFD', delta);
            Assert.False(char.IsHighSurrogate(delta[^1]), $"delta '{delta}' ends in half a surrogate pair");
            Assert.False(char.IsLowSurrogate(delta[0]), $"delta '{delta}' starts with half a surrogate pair");
        }
    }

    [Fact]
    public void Stop_sequences_are_found_across_deltas_and_text_that_only_looked_like_one_is_released()
    {
        var matcher = new StopSequenceMatcher(["<|im_end|>", "\nuser:"]);
        Assert.Equal("Hel", matcher.Push("Hel"));
        Assert.Equal("lo", matcher.Push("lo<|im"));
        Assert.Equal("<|image", matcher.Push("age"));
        Assert.Equal(" ok", matcher.Push(" ok\nus"));
        Assert.False(matcher.Stopped);
        Assert.Equal(string.Empty, matcher.Push("er: more"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public async Task Streamed_text_is_the_decoded_output_and_a_stop_sequence_cuts_it_there()
    {
        using var engine = Gpt2Engine();
        var generator = new TextGenerator(engine, Gpt2);
        var sampling = new SamplingOptions { MaxTokens = 40, Temperature = 1, Seed = 9 };

        var updates = new List<TextGenerationUpdate>();
        await foreach (var update in generator.GenerateStreamingAsync("The quick brown fox", sampling))
        {
            updates.Add(update);
        }

        var ids = updates.SelectMany(u => u.Tokens).Select(t => t.TokenId).ToList();
        var text = string.Concat(updates.Select(u => u.Text));
        Assert.Equal(40, ids.Count);
        Assert.Equal(Gpt2.Decode(ids), text);
        Assert.Equal(GenerationFinishReason.Length, updates[^1].FinishReason);
        Assert.Equal(Gpt2.EncodeToIds("The quick brown fox").Count, updates[^1].InputTokenCount);
        Assert.All(updates.Where(u => u.Text.Length > 0), u => Assert.False(char.IsHighSurrogate(u.Text[^1])));

        var stop = text.Substring(text.Length / 2, 3);
        var stopped = await generator.GenerateAsync("The quick brown fox", sampling with { StopSequences = [stop] });
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(GenerationFinishReason.Stop, stopped.FinishReason);
        Assert.True(stopped.OutputTokenCount < 40);
        await EngineTestHelpers.WaitUntilAsync(() => engine.RunningSequences == 0);
    }

    [Fact]
    public void The_chat_template_renders_like_the_training_template_and_reads_its_definition()
    {
        var messages = new[] { new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "Hi") };
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatPromptTemplate.ChatML.Render(messages));
        Assert.Equal(["<|im_end|>"], ChatPromptTemplate.ChatML.StopSequences);
        Assert.Equal("user: Hi\nassistant: ", ChatPromptTemplate.Plain.Render(messages));

        // The definition Aigc.Data's ChatTemplate writes (its Parameters), including training-only keys.
        var definition = new Dictionary<string, string>
        {
            ["name"] = "custom",
            ["turn.default"] = "[{role}] {content}\n",
            ["turn.assistant"] = "<bot>{content}</bot>\n",
            ["generation_prompt"] = "<bot>",
            ["default_system_prompt"] = "Be brief.",
            ["train_on_all_turns"] = "false",
            ["trained_roles"] = "assistant",
        };
        var template = ChatPromptTemplate.FromParameters(definition);
        Assert.Equal("[system] Be brief.\n[user] Hi\n<bot>", template.Render(messages));
        Assert.Equal(["</bot>"], template.StopSequences);
        Assert.Throws<ArgumentException>(() => new ChatPromptTemplate("bad", "{role} no content"));
    }
}
