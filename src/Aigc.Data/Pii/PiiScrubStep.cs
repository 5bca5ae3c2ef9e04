using System.Text;
using System.Text.RegularExpressions;

namespace Aigc.Data;

/// <summary>
/// Replaces personal data in each record's fields with typed placeholders (id <c>pii.scrub</c>): email addresses,
/// IBANs, payment card numbers, IP addresses and phone numbers. Records are never rejected; counters
/// <c>pii.email</c>, <c>pii.iban</c>, <c>pii.credit_card</c>, <c>pii.ip_address</c> and <c>pii.phone</c> count the
/// replacements, and <c>pii.records</c> the records with at least one.
/// </summary>
/// <remarks>
/// <para>
/// Detectors run in this order, each on the output of the one before, so a number is claimed by the most specific
/// kind first: email; IBAN; card; IPv6; IPv4; phone. What each accepts:
/// </para>
/// <list type="bullet">
/// <item><description>Email: <c>local@domain.tld</c> with a letters-only top-level domain of 2–63 letters.</description></item>
/// <item><description>IBAN: two capital letters, two check digits and 11–30 capitals or digits (15–34 in all),
/// compact or in groups of four separated by single spaces, whose ISO 13616 mod-97 remainder is 1. Lowercase IBANs are
/// not detected.</description></item>
/// <item><description>Card: 13–19 digits, optionally separated by single spaces or dashes (one kind per number), that
/// pass the Luhn check and are not all one digit; digits inside a longer digit run are not considered.</description></item>
/// <item><description>IPv6: full and compressed (<c>::</c>) forms and IPv4-mapped tails that parse as IPv6; the bare
/// <c>::</c> and digit-less words such as <c>bad::add</c> are left alone.</description></item>
/// <item><description>IPv4: dotted quads with every octet 0–255 and no leading zeros, not part of a longer dotted
/// number. A version string such as <c>1.2.3.4</c> is a valid IPv4 address and is replaced; <c>1.2.3</c>,
/// <c>1.2.3.4.5</c>, <c>10.0.0.256</c> and <c>01.02.03.04</c> are not.</description></item>
/// <item><description>Phone: E.164 (<c>+14155552671</c>), international with separators (<c>+44 20 7946 0958</c>,
/// <c>+1 (415) 555-2671</c>), North American (<c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>415.555.2671</c>),
/// trunk-prefix national (<c>020 7946 0958</c>, <c>030 12345678</c>) and French (<c>01 23 45 67 89</c>) forms, with 7–15
/// digits (at least 9 without <c>+</c>); the trunk-prefix and French forms must not be preceded or followed by another
/// digit group, so the tail of a long account number is not taken for one. Plain digit runs without separators or <c>+</c> (<c>4155552671</c>) are not
/// treated as phone numbers, nor are dates (<c>2024-01-15</c>, <c>15.01.2024</c>).</description></item>
/// </list>
/// <para>A candidate that fails its check is left as it is; numbers inside it are not searched again.</para>
/// </remarks>
public sealed class PiiScrubStep : RecordStep
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static readonly PiiTypes[] Order = [PiiTypes.Email, PiiTypes.Iban, PiiTypes.CreditCard, PiiTypes.IPAddress, PiiTypes.Phone];

    private readonly FieldSelector _fields;
    private readonly PiiTypes _types;
    private readonly string _email;
    private readonly string _phone;
    private readonly string _ipAddress;
    private readonly string _creditCard;
    private readonly string _iban;

    /// <summary>Initializes the step with the default settings (every kind, default placeholders, every field).</summary>
    public PiiScrubStep()
        : this(new PiiScrubOptions())
    {
    }

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or a placeholder is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="PiiScrubOptions.Types"/> has undefined flags, or a field name is empty.</exception>
    public PiiScrubStep(PiiScrubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.EmailPlaceholder, nameof(options) + "." + nameof(options.EmailPlaceholder));
        ArgumentNullException.ThrowIfNull(options.PhonePlaceholder, nameof(options) + "." + nameof(options.PhonePlaceholder));
        ArgumentNullException.ThrowIfNull(options.IPAddressPlaceholder, nameof(options) + "." + nameof(options.IPAddressPlaceholder));
        ArgumentNullException.ThrowIfNull(options.CreditCardPlaceholder, nameof(options) + "." + nameof(options.CreditCardPlaceholder));
        ArgumentNullException.ThrowIfNull(options.IbanPlaceholder, nameof(options) + "." + nameof(options.IbanPlaceholder));
        if ((options.Types & ~PiiTypes.All) != 0)
        {
            throw new ArgumentException($"Types {options.Types} has flags that are not PiiTypes; combine Email, Phone, IPAddress, CreditCard and Iban.", nameof(options));
        }

        _fields = new FieldSelector(options.Fields, nameof(options));
        _types = options.Types;
        _email = options.EmailPlaceholder;
        _phone = options.PhonePlaceholder;
        _ipAddress = options.IPAddressPlaceholder;
        _creditCard = options.CreditCardPlaceholder;
        _iban = options.IbanPlaceholder;
        var types = new List<string>(5);
        var parameters = new StepParameters().Add("fields", _fields.ToParameter());
        foreach (var type in Order)
        {
            if ((_types & type) != 0)
            {
                types.Add(CounterName(type)[4..]);
                parameters.Add("placeholder." + CounterName(type)[4..], PlaceholderFor(type));
            }
        }

        Parameters = parameters.Add("types", types);
    }

    /// <inheritdoc />
    public override string Id => "pii.scrub";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Scrubs one text with this step's settings.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with personal data replaced (the same instance when nothing was found).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<int> counts = stackalloc int[Order.Length];
        return Scrub(text, counts);
    }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        Span<int> counts = stackalloc int[Order.Length];
        foreach (var field in record.Fields)
        {
            if (_fields.Includes(field.Name))
            {
                var value = field.Value;
                var scrubbed = Scrub(value, counts);
                if (!ReferenceEquals(scrubbed, value))
                {
                    field.Value = scrubbed;
                }
            }
        }

        var any = false;
        for (var i = 0; i < Order.Length; i++)
        {
            if (counts[i] > 0)
            {
                any = true;
                context.Increment(CounterName(Order[i]), counts[i]);
            }
        }

        if (any)
        {
            context.Increment("pii.records");
        }

        return StepDecision.Keep;
    }

    private string Scrub(string text, Span<int> counts)
    {
        if (text.Length < 6 || (_types & PiiTypes.Email) == 0 && text.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return text;
        }

        for (var i = 0; i < Order.Length; i++)
        {
            var type = Order[i];
            if ((_types & type) == 0)
            {
                continue;
            }

            switch (type)
            {
                case PiiTypes.Email:
                    if (text.Contains('@'))
                    {
                        text = Replace(text, PiiPatterns.Email(), type, _email, ref counts[i]);
                    }

                    break;
                case PiiTypes.IPAddress:
                    if (text.Contains(':'))
                    {
                        text = Replace(text, PiiPatterns.IPv6(), type, _ipAddress, ref counts[i]);
                    }

                    if (text.Contains('.'))
                    {
                        text = Replace(text, PiiPatterns.IPv4(), PiiTypes.None, _ipAddress, ref counts[i]);
                    }

                    break;
                default:
                    if (text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
                    {
                        var regex = type switch
                        {
                            PiiTypes.Iban => PiiPatterns.Iban(),
                            PiiTypes.CreditCard => PiiPatterns.CreditCard(),
                            _ => PiiPatterns.Phone(),
                        };
                        text = Replace(text, regex, type, PlaceholderFor(type), ref counts[i]);
                    }

                    break;
            }
        }

        return text;
    }

    private static string Replace(string text, Regex regex, PiiTypes check, string placeholder, ref int count)
    {
        StringBuilder? builder = null;
        var last = 0;
        foreach (var match in regex.EnumerateMatches(text))
        {
            var candidate = text.AsSpan(match.Index, match.Length);
            var length = check switch
            {
                PiiTypes.Iban => PiiValidators.IbanLength(candidate),
                PiiTypes.CreditCard => PiiValidators.IsCreditCard(candidate) ? match.Length : 0,
                PiiTypes.IPAddress => PiiValidators.IsIPv6(candidate) ? match.Length : 0,
                PiiTypes.Phone => PiiValidators.IsPhone(candidate) ? match.Length : 0,
                _ => match.Length,
            };
            if (length == 0)
            {
                continue;
            }

            if (builder is null)
            {
                builder = t_builder ??= new StringBuilder(256);
                builder.Clear();
            }

            builder.Append(text, last, match.Index - last).Append(placeholder);
            last = match.Index + length;
            count++;
        }

        if (builder is null)
        {
            return text;
        }

        builder.Append(text, last, text.Length - last);
        var result = builder.ToString();
        if (builder.Capacity > 1 << 20)
        {
            builder.Capacity = 256;
        }

        builder.Clear();
        return result;
    }

    private string PlaceholderFor(PiiTypes type) => type switch
    {
        PiiTypes.Email => _email,
        PiiTypes.Phone => _phone,
        PiiTypes.IPAddress => _ipAddress,
        PiiTypes.CreditCard => _creditCard,
        _ => _iban,
    };

    private static string CounterName(PiiTypes type) => type switch
    {
        PiiTypes.Email => "pii.email",
        PiiTypes.Phone => "pii.phone",
        PiiTypes.IPAddress => "pii.ip_address",
        PiiTypes.CreditCard => "pii.credit_card",
        _ => "pii.iban",
    };
}
