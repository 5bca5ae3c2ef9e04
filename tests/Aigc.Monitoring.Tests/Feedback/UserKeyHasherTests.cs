using Aigc.Monitoring;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring.Tests.Feedback;

public sealed class UserKeyHasherTests
{
    [Fact]
    public void Hash_is_the_sha256_of_salt_then_key()
    {
        // python3 -c "import hashlib; print(hashlib.sha256(b'0123456789abcdef' + b'alice@example.com').hexdigest())"
        var hasher = new UserKeyHasher(Options.Create(new FeedbackOptions { UserKeySalt = "0123456789abcdef" }));

        Assert.Equal("075bf03678820050aa821cfb84d6d6e9cf3e390e8fae815f28eea006b629e2b4", hasher.Hash("alice@example.com"));
        Assert.NotEqual(hasher.Hash("alice@example.com"), new UserKeyHasher("fedcba9876543210").Hash("alice@example.com"));
    }

    [Fact]
    public void A_missing_or_short_salt_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new UserKeyHasher(Options.Create(new FeedbackOptions())));
        Assert.Contains("UserKeySalt", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new UserKeyHasher("short"));
    }
}
