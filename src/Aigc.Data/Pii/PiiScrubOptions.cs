namespace Aigc.Data;

/// <summary>Settings of <see cref="PiiScrubStep"/>.</summary>
public sealed class PiiScrubOptions
{
    /// <summary>Gets the names of the fields to scrub; when empty, every field of each record.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>Gets or sets the kinds of personal data to detect.</summary>
    /// <value>The default value is <see cref="PiiTypes.All"/>.</value>
    public PiiTypes Types { get; set; } = PiiTypes.All;

    /// <summary>Gets or sets the text that replaces an email address.</summary>
    /// <value>The default value is <c>&lt;EMAIL&gt;</c>.</value>
    public string EmailPlaceholder { get; set; } = "<EMAIL>";

    /// <summary>Gets or sets the text that replaces a phone number.</summary>
    /// <value>The default value is <c>&lt;PHONE&gt;</c>.</value>
    public string PhonePlaceholder { get; set; } = "<PHONE>";

    /// <summary>Gets or sets the text that replaces an IPv4 or IPv6 address.</summary>
    /// <value>The default value is <c>&lt;IP_ADDRESS&gt;</c>.</value>
    public string IPAddressPlaceholder { get; set; } = "<IP_ADDRESS>";

    /// <summary>Gets or sets the text that replaces a payment card number.</summary>
    /// <value>The default value is <c>&lt;CREDIT_CARD&gt;</c>.</value>
    public string CreditCardPlaceholder { get; set; } = "<CREDIT_CARD>";

    /// <summary>Gets or sets the text that replaces an IBAN.</summary>
    /// <value>The default value is <c>&lt;IBAN&gt;</c>.</value>
    public string IbanPlaceholder { get; set; } = "<IBAN>";
}
