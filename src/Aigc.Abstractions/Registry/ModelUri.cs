using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Aigc;

/// <summary>
/// Names a model version in a registry: pinned to a number (<c>models:/writer/3</c>) or through a movable alias
/// (<c>models:/writer@champion</c>).
/// </summary>
/// <remarks>
/// Model names are 1 to 128 letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a letter or digit, without
/// <c>..</c>. Aliases are 1 to 64 letters, digits, <c>_</c> and <c>-</c>, starting with a letter.
/// </remarks>
public sealed partial record ModelUri : IParsable<ModelUri>
{
    /// <summary>The text every model URI starts with.</summary>
    public const string Prefix = "models:/";

    private ModelUri(string name, int? version, string? alias)
    {
        Name = name;
        Version = version;
        Alias = alias;
    }

    /// <summary>Gets the registered model's name.</summary>
    public string Name { get; }

    /// <summary>Gets the version number, or <see langword="null"/> when the URI names an alias.</summary>
    public int? Version { get; }

    /// <summary>Gets the alias, or <see langword="null"/> when the URI names a version number.</summary>
    public string? Alias { get; }

    /// <summary>Gets a value indicating whether the URI names an alias (and so may point at another version tomorrow).</summary>
    [MemberNotNullWhen(true, nameof(Alias))]
    [MemberNotNullWhen(false, nameof(Version))]
    public bool IsAlias => Alias is not null;

    /// <summary>Returns the URI of one version number, <c>models:/&lt;name&gt;/&lt;version&gt;</c>.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number, from 1.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid model name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    public static ModelUri ForVersion(string name, int version)
    {
        ThrowIfInvalidName(name, nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new ModelUri(name, version, alias: null);
    }

    /// <summary>Returns the URI of an alias, <c>models:/&lt;name&gt;@&lt;alias&gt;</c>.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias, for example <c>champion</c>.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="alias"/> is not valid.</exception>
    public static ModelUri ForAlias(string name, string alias)
    {
        ThrowIfInvalidName(name, nameof(name));
        ThrowIfInvalidAlias(alias, nameof(alias));
        return new ModelUri(name, version: null, alias);
    }

    /// <summary>Returns whether <paramref name="name"/> is a valid registered model name.</summary>
    /// <param name="name">The name to check.</param>
    /// <returns><see langword="true"/> when the name is valid.</returns>
    public static bool IsValidName([NotNullWhen(true)] string? name) =>
        name is not null && NamePattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Returns whether <paramref name="alias"/> is a valid alias name.</summary>
    /// <param name="alias">The alias to check.</param>
    /// <returns><see langword="true"/> when the alias is valid.</returns>
    public static bool IsValidAlias([NotNullWhen(true)] string? alias) => alias is not null && AliasPattern().IsMatch(alias);

    /// <summary>Throws when <paramref name="name"/> is not a valid registered model name.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="parameterName">The parameter the name came from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not valid.</exception>
    public static void ThrowIfInvalidName([NotNull] string? name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid model name: use 1 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit, without '..'.",
                parameterName);
        }
    }

    /// <summary>Throws when <paramref name="alias"/> is not a valid alias name.</summary>
    /// <param name="alias">The alias to check.</param>
    /// <param name="parameterName">The parameter the alias came from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="alias"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="alias"/> is not valid.</exception>
    public static void ThrowIfInvalidAlias([NotNull] string? alias, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(alias, parameterName);
        if (!IsValidAlias(alias))
        {
            throw new ArgumentException(
                $"'{alias}' is not a valid alias: use 1 to 64 letters, digits, '_' and '-', starting with a letter (for example 'champion').",
                parameterName);
        }
    }

    /// <summary>Parses <c>models:/&lt;name&gt;/&lt;version&gt;</c> or <c>models:/&lt;name&gt;@&lt;alias&gt;</c>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelUriFormatException"><paramref name="s"/> is not a model URI; the message says what is wrong.</exception>
    public static ModelUri Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var error = TryParseCore(s, out var uri);
        return error is null ? uri! : throw new ModelUriFormatException(s, error);
    }

    /// <inheritdoc cref="Parse(string)" />
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: model URIs do not depend on culture.</param>
    static ModelUri IParsable<ModelUri>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries to parse a model URI.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The URI, or <see langword="null"/> when <paramref name="s"/> is not one.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a model URI.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out ModelUri? result)
    {
        result = null;
        return s is not null && TryParseCore(s, out result) is null;
    }

    /// <inheritdoc cref="TryParse(string?, out ModelUri?)" />
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored: model URIs do not depend on culture.</param>
    /// <param name="result">The URI, or <see langword="null"/> when <paramref name="s"/> is not one.</param>
    static bool IParsable<ModelUri>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [NotNullWhen(true)] out ModelUri? result) =>
        TryParse(s, out result);

    /// <summary>Returns <c>models:/&lt;name&gt;/&lt;version&gt;</c> or <c>models:/&lt;name&gt;@&lt;alias&gt;</c>.</summary>
    /// <returns>The URI text.</returns>
    public override string ToString() => IsAlias
        ? Prefix + Name + "@" + Alias
        : Prefix + Name + "/" + Version!.Value.ToString(CultureInfo.InvariantCulture);

    private static string? TryParseCore(string s, out ModelUri? result)
    {
        result = null;
        if (!s.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
                ? "the scheme must be written in lower case, 'models:/'"
                : "it does not start with 'models:/'";
        }

        var rest = s.AsSpan(Prefix.Length);
        if (rest.IsEmpty)
        {
            return "the model name is missing";
        }

        var at = rest.IndexOf('@');
        var slash = rest.IndexOf('/');
        if (at >= 0 && (slash < 0 || at < slash))
        {
            var name = rest[..at].ToString();
            var alias = rest[(at + 1)..].ToString();
            if (!IsValidName(name))
            {
                return DescribeBadName(name);
            }

            if (alias.Length == 0)
            {
                return "the alias after '@' is missing";
            }

            if (!IsValidAlias(alias))
            {
                return $"'{alias}' is not a valid alias (1 to 64 letters, digits, '_' and '-', starting with a letter)";
            }

            result = new ModelUri(name, version: null, alias);
            return null;
        }

        if (slash < 0)
        {
            return "it names neither a version ('/<version>') nor an alias ('@<alias>')";
        }

        var modelName = rest[..slash].ToString();
        if (!IsValidName(modelName))
        {
            return DescribeBadName(modelName);
        }

        var versionText = rest[(slash + 1)..];
        if (versionText.IsEmpty)
        {
            return "the version number after '/' is missing";
        }

        if (versionText.IndexOf('/') >= 0)
        {
            return "it has more than one '/' after the model name";
        }

        if (!IsDigits(versionText) || versionText[0] == '0'
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return $"'{versionText}' is not a version number (a whole number from 1, without leading zeros)";
        }

        result = new ModelUri(modelName, version, alias: null);
        return null;
    }

    private static string DescribeBadName(string name) => name.Length == 0
        ? "the model name is missing"
        : $"'{name}' is not a valid model name (1 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit, without '..')";

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();
}
