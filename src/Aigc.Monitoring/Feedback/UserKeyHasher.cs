using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring;

/// <summary>
/// Turns a user key (user id, e-mail, session id) into <see cref="FeedbackRecord.UserKeyHash"/>: the lowercase hex
/// SHA-256 of the UTF-8 bytes of the salt followed by the UTF-8 bytes of the key. The same key and salt always give
/// the same hash, so feedback of one user can be grouped without storing who the user is.
/// </summary>
public sealed class UserKeyHasher
{
    private readonly byte[] _salt;

    /// <summary>Initializes a hasher with a salt.</summary>
    /// <param name="salt">A secret of at least 16 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="salt"/> is shorter than 16 characters.</exception>
    public UserKeyHasher(string salt)
    {
        if (salt is null || salt.Length < 16)
        {
            throw new ArgumentException("The user-key salt must be a secret of at least 16 characters; set Aigc:Monitoring:Feedback:UserKeySalt.", nameof(salt));
        }

        _salt = Encoding.UTF8.GetBytes(salt);
    }

    /// <summary>Initializes a hasher with the salt of <see cref="FeedbackOptions.UserKeySalt"/>.</summary>
    /// <param name="options">The feedback options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No salt (or one shorter than 16 characters) is configured.</exception>
    public UserKeyHasher(IOptions<FeedbackOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.UserKeySalt!)
    {
    }

    /// <summary>Hashes a user key.</summary>
    /// <param name="userKey">The key.</param>
    /// <returns>64 lowercase hex digits.</returns>
    /// <exception cref="ArgumentException"><paramref name="userKey"/> is null or empty.</exception>
    public string Hash(string userKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        var key = Encoding.UTF8.GetBytes(userKey);
        var buffer = new byte[_salt.Length + key.Length];
        _salt.CopyTo(buffer, 0);
        key.CopyTo(buffer, _salt.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }
}
