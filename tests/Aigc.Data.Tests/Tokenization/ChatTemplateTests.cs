using Microsoft.Extensions.AI;

namespace Aigc.Data.Tests.Tokenization;

public sealed class ChatTemplateTests
{
    private static string Text(IEnumerable<TemplateSegment> segments, bool? trainable = null) =>
        string.Concat(segments.Where(s => trainable is null || s.Trainable == trainable).Select(s => s.Text));

    [Fact]
    public void ChatML_renders_the_exact_text_and_trains_only_the_assistant_turn()
    {
        var record = DataRecord.CreateChat("c", ("system", "You are helpful."), ("user", "Hi"), ("assistant", "Hello!"));

        var segments = ChatTemplate.ChatML.Render(record);

        Assert.Equal(
            "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n",
            Text(segments));
        Assert.Equal("Hello!<|im_end|>\n", Text(segments, trainable: true));
        Assert.Equal("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", Text(segments, trainable: false));
    }

    [Fact]
    public void RenderPrompt_equals_the_masked_text_before_the_response()
    {
        var record = DataRecord.CreateChat("c", ("system", "S"), ("user", "Question?"), ("assistant", "Answer."));
        foreach (var template in new[] { ChatTemplate.ChatML, ChatTemplate.Plain, ChatTemplate.Alpaca })
        {
            var masked = Text(template.Render(record).TakeWhile(s => !s.Trainable));
            Assert.Equal(masked, template.RenderPrompt([("system", "S"), ("user", "Question?")]));
        }

        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.ChatML.RenderPrompt([new ChatMessage(ChatRole.User, "Hi")]));
        Assert.Equal("user: Hi\n", ChatTemplate.Plain.RenderPrompt([("user", "Hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Alpaca_instruction_uses_the_standard_prompt_with_and_without_input()
    {
        var withInput = ChatTemplate.Alpaca.Render(DataRecord.CreateInstruction("a", "Summarize.", "Long text.", "Short."));
        var withoutInput = ChatTemplate.Alpaca.Render(DataRecord.CreateInstruction("b", "Say hi.", "", "Hi."));

        Assert.Equal(
            "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nSummarize.\n\n### Input:\nLong text.\n\n### Response:\n",
            Text(withInput, trainable: false));
        Assert.Equal("Short.", Text(withInput, trainable: true));
        Assert.Equal(
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nSay hi.\n\n### Response:\n",
            Text(withoutInput, trainable: false));
        Assert.Equal("Hi.", Text(withoutInput, trainable: true));
        Assert.Equal(Text(withInput, trainable: false), ChatTemplate.Alpaca.RenderInstructionPrompt("Summarize.", "Long text."));
    }

    [Fact]
    public void Instruction_without_an_instruction_prompt_becomes_a_user_and_an_assistant_turn()
    {
        var segments = ChatTemplate.ChatML.Render(DataRecord.CreateInstruction("a", "Summarize.", "Long text.", "Short."));

        Assert.Equal("<|im_start|>user\nSummarize.\n\nLong text.<|im_end|>\n<|im_start|>assistant\n", Text(segments, trainable: false));
        Assert.Equal("Short.<|im_end|>\n", Text(segments, trainable: true));
        Assert.Equal(Text(segments, trainable: false), ChatTemplate.ChatML.RenderInstructionPrompt("Summarize.", "Long text."));
    }

    [Fact]
    public void Preference_trains_on_the_chosen_answer_and_leaves_out_the_rejected_one()
    {
        var segments = ChatTemplate.Plain.Render(DataRecord.CreatePreference("p", "Pick.", "Good.", "Bad."));

        Assert.Equal("user: Pick.\nassistant: ", Text(segments, trainable: false));
        Assert.Equal("Good.\n", Text(segments, trainable: true));
        Assert.DoesNotContain("Bad.", Text(segments), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_records_are_trained_as_they_are()
    {
        var segments = ChatTemplate.ChatML.Render(DataRecord.CreateText("t", "Plain words."));

        var segment = Assert.Single(segments);
        Assert.Equal(new TemplateSegment("Plain words.", Trainable: true, IsContent: true), segment);
    }

    [Fact]
    public void TrainOnAllTurns_trains_every_segment()
    {
        var template = ChatTemplate.ChatML with { TrainOnAllTurns = true };
        var segments = template.Render(DataRecord.CreateChat("c", ("user", "Hi"), ("assistant", "Yo")));

        Assert.All(segments, s => Assert.True(s.Trainable));
        Assert.NotEqual(ChatTemplate.ChatML, template);
    }

    [Fact]
    public void Custom_format_substitutes_roles_and_per_role_overrides()
    {
        var template = ChatTemplate.FromFormat(
            "custom",
            "[{role}] {content}\n",
            new Dictionary<string, string> { ["assistant"] = "<bot>{content}</bot>\n" });

        var segments = template.Render(DataRecord.CreateChat("c", ("user", "Hi"), ("tool", "42"), ("assistant", "Done")));

        Assert.Equal("[user] Hi\n[tool] 42\n<bot>", Text(segments, trainable: false));
        Assert.Equal("Done</bot>\n", Text(segments, trainable: true));
        Assert.Equal("<bot>", template.GenerationPrompt);
        Assert.Equal("[function] x\n", template.RenderPrompt([("function", "x")], addGenerationPrompt: false));
    }

    [Fact]
    public void Parameters_round_trip_to_an_equal_template()
    {
        foreach (var template in new[] { ChatTemplate.ChatML, ChatTemplate.Plain, ChatTemplate.Alpaca, ChatTemplate.ChatML with { TrainedRoles = ["assistant", "tool"], GenerationPrompt = "X" } })
        {
            var rebuilt = ChatTemplate.FromParameters(template.Parameters);

            Assert.Equal(template, rebuilt);
            Assert.Equal(template.GetHashCode(), rebuilt.GetHashCode());
            Assert.Equal(template.RenderPrompt([("user", "q")]), rebuilt.RenderPrompt([("user", "q")]));
        }

        Assert.Equal("<|im_start|>{role}\n{content}<|im_end|>\n", ChatTemplate.ChatML.Parameters["turn.default"]);
        Assert.NotEqual(ChatTemplate.ChatML.Parameters["turn.user"], ChatTemplate.Plain.Parameters["turn.user"]);
    }

    [Theory]
    [InlineData("chat-no-assistant", "no assistant turn")]
    [InlineData("chat-empty", "no messages")]
    [InlineData("instruction-no-output", "\"output\"")]
    [InlineData("image", "not text examples")]
    [InlineData("text-empty", "no text")]
    public void Records_that_cannot_be_rendered_give_a_reason(string which, string expected)
    {
        var record = which switch
        {
            "chat-no-assistant" => DataRecord.CreateChat("x", ("user", "Hello?")),
            "chat-empty" => new DataRecord(RecordKind.Chat, "x"),
            "instruction-no-output" => new DataRecord(RecordKind.Instruction, "x").AddField("instruction", "Do."),
            "image" => DataRecord.CreateImageCaption("x", "a.png", "A cat."),
            _ => DataRecord.CreateText("x", ""),
        };

        var ok = ChatTemplate.ChatML.TryRender(record, new List<TemplateSegment>(), out var reason);

        Assert.False(ok);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ChatTemplate.ChatML.Render(record));
    }

    [Fact]
    public void Turn_formats_need_exactly_one_content_placeholder()
    {
        Assert.Throws<ArgumentException>(() => ChatTurnFormat.Parse("{role}: no content"));
        Assert.Throws<ArgumentException>(() => ChatTurnFormat.Parse("{content}{content}"));
        Assert.Equal(new ChatTurnFormat("<", ">"), ChatTurnFormat.Parse("<{content}>"));
    }
}
