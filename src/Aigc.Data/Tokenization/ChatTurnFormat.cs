namespace Aigc.Data;

/// <summary>
/// How a <see cref="ChatTemplate"/> wraps one message: the text before the content and the text after it, for
/// example <c>&lt;|im_start|&gt;user\n</c> and <c>&lt;|im_end|&gt;\n</c> in ChatML.
/// </summary>
public sealed record ChatTurnFormat
{
    /// <summary>The placeholder for the message content in a turn format string.</summary>
    public const string ContentPlaceholder = "{content}";

    /// <summary>The placeholder for the message role in a turn format string.</summary>
    public const string RolePlaceholder = "{role}";

    /// <summary>Initializes a turn format from its prefix and suffix.</summary>
    /// <param name="prefix">The text written before the content (may contain <c>{role}</c>).</param>
    /// <param name="suffix">The text written after the content (may contain <c>{role}</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> or <paramref name="suffix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> or <paramref name="suffix"/> contains <c>{content}</c>.</exception>
    public ChatTurnFormat(string prefix, string suffix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(suffix);
        if (prefix.Contains(ContentPlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException("A turn prefix cannot contain the {content} placeholder.", nameof(prefix));
        }

        if (suffix.Contains(ContentPlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException("A turn suffix cannot contain the {content} placeholder.", nameof(suffix));
        }

        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>Gets the text written before the content.</summary>
    public string Prefix { get; }

    /// <summary>Gets the text written after the content.</summary>
    public string Suffix { get; }

    /// <summary>Gets the format as one string: <see cref="Prefix"/>, <c>{content}</c>, <see cref="Suffix"/>.</summary>
    public string Format => Prefix + ContentPlaceholder + Suffix;

    /// <summary>
    /// Parses a turn format string such as <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c>: the text
    /// before <c>{content}</c> is the prefix, the text after it the suffix.
    /// </summary>
    /// <param name="format">The format; it contains <c>{content}</c> exactly once.</param>
    /// <returns>The turn format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="format"/> does not contain <c>{content}</c> exactly once.</exception>
    public static ChatTurnFormat Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var index = format.IndexOf(ContentPlaceholder, StringComparison.Ordinal);
        if (index < 0 || format.IndexOf(ContentPlaceholder, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"The turn format \"{format}\" must contain {ContentPlaceholder} exactly once.", nameof(format));
        }

        return new ChatTurnFormat(format[..index], format[(index + ContentPlaceholder.Length)..]);
    }

    /// <summary>Returns this format with <c>{role}</c> replaced by <paramref name="role"/>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The format for that role (this instance when there is no placeholder).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public ChatTurnFormat ForRole(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!Prefix.Contains(RolePlaceholder, StringComparison.Ordinal) && !Suffix.Contains(RolePlaceholder, StringComparison.Ordinal))
        {
            return this;
        }

        return new ChatTurnFormat(Prefix.Replace(RolePlaceholder, role, StringComparison.Ordinal), Suffix.Replace(RolePlaceholder, role, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public override string ToString() => Format;
}
