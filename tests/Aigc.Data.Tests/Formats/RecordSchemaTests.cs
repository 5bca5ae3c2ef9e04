namespace Aigc.Data.Tests.Formats;

public sealed class RecordSchemaTests
{
    [Fact]
    public void Factories_have_the_documented_defaults()
    {
        var text = RecordSchema.Text();
        Assert.Equal(RecordKind.Text, text.Kind);
        Assert.Equal("text", text.Fields["text"]);
        Assert.Equal("id", text.IdField);
        Assert.Equal("labels", text.LabelsField);
        Assert.Equal("metadata", text.MetadataField);
        Assert.Empty(text.ExtraFields);
        Assert.Null(text.Roles);

        var alpaca = RecordSchema.Alpaca();
        Assert.Equal(RecordKind.Instruction, alpaca.Kind);
        Assert.Equal("instruction", alpaca.Fields["instruction"]);
        Assert.Equal("input", alpaca.Fields["input"]);
        Assert.Equal("output", alpaca.Fields["output"]);

        var openai = RecordSchema.OpenAIMessages();
        Assert.Equal(RecordKind.Chat, openai.Kind);
        Assert.Equal("messages", openai.Fields["messages"]);
        Assert.Equal("role", openai.Fields["role"]);
        Assert.Equal("content", openai.Fields["content"]);
        Assert.Null(openai.Roles);

        var sharegpt = RecordSchema.ShareGpt();
        Assert.Equal(RecordKind.Chat, sharegpt.Kind);
        Assert.Equal("conversations", sharegpt.Fields["messages"]);
        Assert.Equal("from", sharegpt.Fields["role"]);
        Assert.Equal("value", sharegpt.Fields["content"]);
        Assert.Equal("user", sharegpt.Roles!["human"]);
        Assert.Equal("assistant", sharegpt.Roles["gpt"]);
        Assert.Equal("system", sharegpt.Roles["system"]);
        Assert.Equal(3, sharegpt.Roles.Count);

        Assert.Equal(RecordKind.Preference, RecordSchema.Preference().Kind);
        var image = RecordSchema.ImageCaption();
        Assert.Equal(RecordKind.ImageCaption, image.Kind);
        Assert.Equal("image", image.Fields["image"]);
        Assert.Equal("caption", image.Fields["caption"]);
    }

    [Theory]
    [InlineData(RecordKind.Text, "text")]
    [InlineData(RecordKind.Instruction, "alpaca")]
    [InlineData(RecordKind.Chat, "openai-messages")]
    [InlineData(RecordKind.Preference, "preference")]
    [InlineData(RecordKind.ImageCaption, "image-caption")]
    public void ForKind_reads_the_canonical_shape(RecordKind kind, string name)
    {
        var schema = RecordSchema.ForKind(kind);
        Assert.Equal(kind, schema.Kind);
        Assert.Equal(name, schema.Name);
    }

    [Fact]
    public void ShareGpt_role_map_can_be_replaced()
    {
        var schema = RecordSchema.ShareGpt(roles: new Dictionary<string, string> { ["USER"] = "user", ["BOT"] = "assistant" });
        Assert.Equal(2, schema.Roles!.Count);
        Assert.Equal("assistant", schema.Roles["BOT"]);
        Assert.False(schema.Roles.ContainsKey("gpt"));
    }

    [Fact]
    public void Parameters_capture_every_mapping_setting()
    {
        var a = RecordSchema.Alpaca("prompt", "context", "response").WithIdField("uid").WithExtraFields("lang", "source");
        var p = a.Parameters;
        Assert.Equal("alpaca", p["schema"]);
        Assert.Equal("Instruction", p["kind"]);
        Assert.Equal("prompt", p["field.instruction"]);
        Assert.Equal("context", p["field.input"]);
        Assert.Equal("response", p["field.output"]);
        Assert.Equal("uid", p["id"]);
        Assert.Equal("lang,source", p["extra"]);

        Assert.Equal(p.ToList(), RecordSchema.Alpaca("prompt", "context", "response").WithIdField("uid").WithExtraFields("lang", "source").Parameters.ToList());
        Assert.NotEqual(p.ToList(), RecordSchema.Alpaca("prompt", "context", "answer").WithIdField("uid").WithExtraFields("lang", "source").Parameters.ToList());
        Assert.NotEqual(p.ToList(), a.WithIdField(null).Parameters.ToList());
        Assert.NotEqual(p.ToList(), a.WithLabelsField("tags").Parameters.ToList());
        Assert.NotEqual(p.ToList(), a.WithMetadataField(null).Parameters.ToList());

        Assert.Equal("gpt=assistant,human=user,system=system", RecordSchema.ShareGpt().Parameters["roles"]);
        Assert.NotEqual(
            RecordSchema.ShareGpt().Parameters["roles"],
            RecordSchema.ShareGpt(roles: new Dictionary<string, string> { ["human"] = "user", ["gpt"] = "assistant" }).Parameters["roles"]);
    }

    [Fact]
    public void With_methods_return_new_schemas_and_leave_the_original()
    {
        var schema = RecordSchema.Text();
        var changed = schema.WithIdField(null).WithLabelsField(null).WithMetadataField("meta").WithExtraFields("url");
        Assert.Equal("id", schema.IdField);
        Assert.Null(changed.IdField);
        Assert.Null(changed.LabelsField);
        Assert.Equal("meta", changed.MetadataField);
        Assert.Equal(["url"], changed.ExtraFields);
        Assert.Empty(schema.ExtraFields);
    }

    [Fact]
    public void Invalid_names_are_refused_with_the_parameter_name()
    {
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => RecordSchema.Text(string.Empty)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => RecordSchema.Alpaca(output: string.Empty)).ParamName);
        Assert.Equal("field", Assert.Throws<ArgumentException>(() => RecordSchema.Text().WithIdField(string.Empty)).ParamName);
        Assert.Equal("fields", Assert.Throws<ArgumentException>(() => RecordSchema.Text().WithExtraFields("ok", string.Empty)).ParamName);
        Assert.Equal("roles", Assert.Throws<ArgumentException>(() => RecordSchema.ShareGpt(roles: new Dictionary<string, string> { ["human"] = string.Empty })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordSchema.ForKind((RecordKind)99));
    }
}
