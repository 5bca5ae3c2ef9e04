using System.Text.RegularExpressions;

namespace Aigc.Data;

/// <summary>The candidate patterns of <see cref="PiiScrubStep"/>; candidates are confirmed by <see cref="PiiValidators"/>.</summary>
internal static partial class PiiPatterns
{
    /// <summary>An email address: a local part of letters, digits and <c>._%+-</c>, <c>@</c>, dot-separated domain labels and an alphabetic top-level domain.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,63}(?![\p{L}\p{N}_-])", RegexOptions.CultureInvariant)]
    public static partial Regex Email();

    /// <summary>An IBAN candidate: country code, two check digits and 11–30 alphanumerics, compact or in space-separated groups of four.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    public static partial Regex Iban();

    /// <summary>A payment card candidate: 13–19 digits, optionally separated by single spaces or dashes, not part of a longer digit run.</summary>
    [GeneratedRegex(@"(?<![0-9][ -]?|[\p{L}_])[0-9](?:[ -]?[0-9]){12,18}(?![ -]?[0-9]|[\p{L}_])", RegexOptions.CultureInvariant)]
    public static partial Regex CreditCard();

    /// <summary>An IPv6 candidate: hex groups and at least two colons, optionally ending in an IPv4 address.</summary>
    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv6();

    /// <summary>An IPv4 address: four decimal octets 0–255 without leading zeros, not part of a longer dotted number.</summary>
    [GeneratedRegex(@"(?<![\w.]|[0-9]\.)(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![\w]|\.[0-9])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv4();

    /// <summary>
    /// A phone number: E.164 (<c>+14155552671</c>); international with separators (<c>+44 20 7946 0958</c>,
    /// <c>+1 (415) 555-2671</c>); North American (<c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>415.555.2671</c>);
    /// trunk-prefix national (<c>020 7946 0958</c>, <c>030 12345678</c>); French (<c>01 23 45 67 89</c>). The trunk-prefix
    /// and French forms must not continue or be continued by another digit group (<c>0044 0532 0130 01</c>).
    /// </summary>
    [GeneratedRegex(
        @"(?<![\w+])(?:\+[1-9][0-9]{6,14}(?![0-9])" +
        @"|\+[1-9][0-9]{0,2}(?:[ .-]?\([0-9]{1,4}\)|[ .-][0-9]{1,4})(?:[ .-]?[0-9]{2,4}){1,4}" +
        @"|\([0-9]{3}\) ?[0-9]{3}[ .-][0-9]{4}" +
        @"|[0-9]{3}(?<sep>[.-])[0-9]{3}\k<sep>[0-9]{4}" +
        @"|(?<![0-9][ .-])0[1-9](?:[ .][0-9]{2}){4}(?![ .-]?[0-9])" +
        @"|(?<![0-9][ .-])0[1-9][0-9]{1,3}[ -][0-9]{3,8}(?:[ -][0-9]{3,4})?(?![ .-]?[0-9])" +
        @")(?![\w]|[.-][0-9])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex Phone();
}
