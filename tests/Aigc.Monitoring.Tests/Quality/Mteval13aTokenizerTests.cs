using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Quality;

public sealed class Mteval13aTokenizerTests
{
    [Theory]
    [InlineData("Hello, world! It's 3.5-4.0 km.", "Hello , world ! It's 3.5 - 4.0 km .")]
    [InlineData("The dog bit the man.", "The dog bit the man .")]
    [InlineData("It wasn't surprising.", "It wasn't surprising .")]
    [InlineData("A &quot;quote&quot; &amp; (brackets) 1,000.", "A \" quote \" & ( brackets ) 1,000 .")]
    [InlineData("line-\nbreak<skipped>  x", "linebreak x")]
    public void Tokenizes_like_mteval_v13a(string input, string expected)
    {
        Assert.Equal(expected, Mteval13aTokenizer.Tokenize(input));
    }
}
