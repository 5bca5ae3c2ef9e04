using System.Net;
using System.Net.Sockets;

namespace Aigc.Data;

/// <summary>Checksums and sanity checks that confirm the candidates <see cref="PiiPatterns"/> finds.</summary>
internal static class PiiValidators
{
    /// <summary>Returns whether the digits pass the Luhn (mod 10) check.</summary>
    /// <param name="digits">ASCII digits only.</param>
    /// <returns><see langword="true"/> when the checksum is valid.</returns>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    /// <summary>
    /// Confirms a payment card candidate: 13–19 digits, one kind of separator (all spaces or all dashes) if any, not
    /// all the same digit, and a valid Luhn checksum.
    /// </summary>
    /// <param name="candidate">The matched text.</param>
    /// <returns><see langword="true"/> for a card number.</returns>
    public static bool IsCreditCard(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[19];
        var n = 0;
        var separator = '\0';
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return false;
                }

                digits[n++] = c;
            }
            else if (separator == '\0')
            {
                separator = c;
            }
            else if (separator != c)
            {
                return false;
            }
        }

        if (n < 13)
        {
            return false;
        }

        digits = digits[..n];
        return digits.ContainsAnyExcept(digits[0]) && Luhn(digits);
    }

    /// <summary>
    /// Confirms an IBAN candidate with the ISO 13616 mod-97 check (country code and check digits moved to the end,
    /// letters as 10–35, remainder 1). When a grouped candidate fails, trailing groups are dropped one at a time, in case
    /// the match ran into a following word.
    /// </summary>
    /// <param name="candidate">The matched text.</param>
    /// <returns>The length of the valid IBAN at the start of the candidate, or 0.</returns>
    public static int IbanLength(ReadOnlySpan<char> candidate)
    {
        var length = candidate.Length;
        while (true)
        {
            if (IsIban(candidate[..length]))
            {
                return length;
            }

            var lastSpace = candidate[..length].LastIndexOf(' ');
            if (lastSpace < 0)
            {
                return 0;
            }

            length = lastSpace;
        }
    }

    /// <summary>Returns whether <paramref name="candidate"/> (spaces allowed) is a valid IBAN by length and mod-97.</summary>
    /// <param name="candidate">The text.</param>
    /// <returns><see langword="true"/> for a valid IBAN.</returns>
    public static bool IsIban(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[34];
        var n = 0;
        foreach (var c in candidate)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == compact.Length || !char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }

            compact[n++] = c;
        }

        if (n < 15)
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = compact[(i + 4) % n];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    /// <summary>Confirms an IPv6 candidate: it parses as an IPv6 address and contains a decimal digit (so <c>::</c> and words like <c>bad::add</c> are left alone).</summary>
    /// <param name="candidate">The matched text.</param>
    /// <returns><see langword="true"/> for an IPv6 address.</returns>
    public static bool IsIPv6(ReadOnlySpan<char> candidate) =>
        candidate.IndexOfAnyInRange('0', '9') >= 0
        && IPAddress.TryParse(candidate, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Confirms a phone candidate: 7–15 digits in all, and at least 9 for national forms (without <c>+</c>).</summary>
    /// <param name="candidate">The matched text.</param>
    /// <returns><see langword="true"/> for a phone number.</returns>
    public static bool IsPhone(ReadOnlySpan<char> candidate)
    {
        var digits = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        return digits <= 15 && digits >= (candidate[0] == '+' ? 7 : 9);
    }
}
