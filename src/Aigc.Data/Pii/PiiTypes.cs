namespace Aigc.Data;

/// <summary>The kinds of personal data <see cref="PiiScrubStep"/> detects; combine them as flags.</summary>
[Flags]
public enum PiiTypes
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Email addresses, replaced by <c>&lt;EMAIL&gt;</c>; counter <c>pii.email</c>.</summary>
    Email = 1,

    /// <summary>Phone numbers (E.164 and common national forms), replaced by <c>&lt;PHONE&gt;</c>; counter <c>pii.phone</c>.</summary>
    Phone = 2,

    /// <summary>IPv4 and IPv6 addresses, replaced by <c>&lt;IP_ADDRESS&gt;</c>; counter <c>pii.ip_address</c>.</summary>
    IPAddress = 4,

    /// <summary>Payment card numbers that pass the Luhn check, replaced by <c>&lt;CREDIT_CARD&gt;</c>; counter <c>pii.credit_card</c>.</summary>
    CreditCard = 8,

    /// <summary>IBANs that pass the mod-97 check, replaced by <c>&lt;IBAN&gt;</c>; counter <c>pii.iban</c>.</summary>
    Iban = 16,

    /// <summary>Every kind.</summary>
    All = Email | Phone | IPAddress | CreditCard | Iban,
}
