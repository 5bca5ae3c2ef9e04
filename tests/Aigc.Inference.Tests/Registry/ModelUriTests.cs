namespace Aigc.Inference.Tests.Registry;

public sealed class ModelUriTests
{
    [Fact]
    public void Parses_a_version_uri_and_writes_it_back()
    {
        var uri = ModelUri.Parse("models:/writer-gpt2.v1/12");

        Assert.Equal("writer-gpt2.v1", uri.Name);
        Assert.Equal(12, uri.Version);
        Assert.Null(uri.Alias);
        Assert.False(uri.IsAlias);
        Assert.Equal("models:/writer-gpt2.v1/12", uri.ToString());
        Assert.Equal(ModelUri.ForVersion("writer-gpt2.v1", 12), uri);
    }

    [Fact]
    public void Parses_an_alias_uri_and_writes_it_back()
    {
        var uri = ModelUri.Parse("models:/writer@champion");

        Assert.Equal("writer", uri.Name);
        Assert.Null(uri.Version);
        Assert.Equal("champion", uri.Alias);
        Assert.True(uri.IsAlias);
        Assert.Equal("models:/writer@champion", uri.ToString());
        Assert.Equal(ModelUri.ForAlias("writer", "champion"), uri);
    }

    [Theory]
    [InlineData("writer/3", "does not start with 'models:/'")]
    [InlineData("MODELS:/writer/3", "lower case")]
    [InlineData("models:/", "model name is missing")]
    [InlineData("models://3", "model name is missing")]
    [InlineData("models:/writer", "neither a version")]
    [InlineData("models:/writer/", "version number after '/' is missing")]
    [InlineData("models:/writer/0", "'0' is not a version number")]
    [InlineData("models:/writer/03", "'03' is not a version number")]
    [InlineData("models:/writer/-1", "'-1' is not a version number")]
    [InlineData("models:/writer/3.5", "'3.5' is not a version number")]
    [InlineData("models:/writer/99999999999", "is not a version number")]
    [InlineData("models:/writer/3/4", "more than one '/'")]
    [InlineData("models:/writer@", "alias after '@' is missing")]
    [InlineData("models:/writer@1st", "'1st' is not a valid alias")]
    [InlineData("models:/writer@a/b", "'a/b' is not a valid alias")]
    [InlineData("models:/../x/1", "'..' is not a valid model name")]
    [InlineData("models:/a..b@x", "'a..b' is not a valid model name")]
    [InlineData("models:/-x/1", "'-x' is not a valid model name")]
    public void Rejects_malformed_text_saying_what_is_wrong(string text, string reason)
    {
        var error = Assert.Throws<ModelUriFormatException>(() => ModelUri.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("models:/<name>/<version>", error.Message, StringComparison.Ordinal);
        Assert.Equal(text, error.Text);
        Assert.False(ModelUri.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void TryParse_accepts_both_forms_and_null_is_false()
    {
        Assert.True(ModelUri.TryParse("models:/m/1", out var version));
        Assert.Equal(1, version.Version);
        Assert.True(ModelUri.TryParse("models:/m@challenger", out var alias));
        Assert.Equal("challenger", alias.Alias);
        Assert.False(ModelUri.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => ModelUri.Parse(null!));
    }

    [Fact]
    public void Factories_check_their_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelUri.ForVersion("m", 0));
        Assert.Throws<ArgumentException>(() => ModelUri.ForVersion("a/b", 1));
        Assert.Throws<ArgumentException>(() => ModelUri.ForAlias("m", "9lives"));
        Assert.Throws<ArgumentNullException>(() => ModelUri.ForAlias("m", null!));
    }

    [Fact]
    public void Works_through_the_generic_parsable_interface()
    {
        static T ParseAs<T>(string text) where T : IParsable<T> => T.Parse(text, null);

        Assert.Equal(ModelUri.ForVersion("m", 7), ParseAs<ModelUri>("models:/m/7"));
    }

    [Theory]
    [InlineData("adapter_model.safetensors", true)]
    [InlineData("tokenizer/vocab.json", true)]
    [InlineData("../escape.bin", false)]
    [InlineData("a/../../escape.bin", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a//b", false)]
    [InlineData("./a", false)]
    [InlineData("a\\b", false)]
    [InlineData("C:x", false)]
    [InlineData("", false)]
    public void Artifact_paths_cannot_leave_the_version(string path, bool valid)
    {
        Assert.Equal(valid, ModelArtifactSource.IsValidPath(path));
        if (!valid)
        {
            var error = Assert.Throws<ArgumentException>(() => new ModelArtifactSource(path, "/tmp/x"));
            Assert.Equal("path", error.ParamName);
        }
    }
}
