using Aigc.Data.Tests.Cleaning;
using CsCheck;

namespace Aigc.Data.Tests.Pii;

public sealed class PiiScrubStepTests
{
    private static readonly PiiScrubStep Default = new();

    [Theory]
    [InlineData("john.doe+tag@example.co.uk")]
    [InlineData("a_b%c-d@sub-domain.example.org")]
    [InlineData("jürgen@bücher.de")]
    public void Emails_are_replaced(string email)
    {
        Assert.Equal("Contact <EMAIL>, please.", Default.Scrub($"Contact {email}, please."));
    }

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("@handle")]
    [InlineData("name@domain.c0m")]
    public void Not_emails(string text)
    {
        Assert.Equal(text, Default.Scrub(text));
    }

    [Theory]
    [InlineData("+14155552671")]
    [InlineData("+1 (415) 555-2671")]
    [InlineData("+1-415-555-2671")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+33 1 23 45 67 89")]
    [InlineData("+49 30 12345678")]
    [InlineData("(415) 555-2671")]
    [InlineData("415-555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("020 7946 0958")]
    [InlineData("0161 496 0000")]
    [InlineData("030 12345678")]
    [InlineData("01 23 45 67 89")]
    public void Phone_numbers_are_replaced(string phone)
    {
        Assert.Equal("Call <PHONE> today.", Default.Scrub($"Call {phone} today."));
    }

    [Theory]
    [InlineData("Released on 2024-01-15 and 15.01.2024.")]
    [InlineData("Order 4155552671 shipped.")]
    [InlineData("Version 1.2.3 is out, build 10.4.")]
    [InlineData("Room 123-4567 at 10:30.")]
    [InlineData("Between 1990 and 2020 prices rose 415%.")]
    [InlineData("ISBN 978-3-16-148410-0.")]
    [InlineData("Call +1 2 3 now.")]
    public void Plain_numbers_dates_and_versions_are_not_phones(string text)
    {
        Assert.Equal(text, Default.Scrub(text));
    }

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("255.255.255.0")]
    [InlineData("1.2.3.4")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    [InlineData("::1")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334")]
    [InlineData("::ffff:192.0.2.128")]
    public void IP_addresses_are_replaced(string address)
    {
        Assert.Equal("Host <IP_ADDRESS>.", Default.Scrub($"Host {address}."));
    }

    [Theory]
    [InlineData("Octet 256.1.1.1 is out of range.")]
    [InlineData("Version 1.2.3.4.5 and 1.2.3 are versions.")]
    [InlineData("Leading zeros 01.02.03.04 are ambiguous.")]
    [InlineData("Use std::vector and Foo::Bar here.")]
    [InlineData("Meet at 10:30:45 sharp.")]
    [InlineData("The bad::add symbol.")]
    [InlineData("MAC 00:1a:2b:3c:4d:5e on eth0.")]
    public void Not_IP_addresses(string text)
    {
        Assert.Equal(text, Default.Scrub(text));
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("4111111111111111")]
    [InlineData("5555555555554444")]
    [InlineData("3782 822463 10005")]
    [InlineData("6011000990139424")]
    public void Card_numbers_that_pass_Luhn_are_replaced(string card)
    {
        Assert.Equal("Card <CREDIT_CARD> expires soon.", Default.Scrub($"Card {card} expires soon."));
    }

    [Theory]
    [InlineData("Card 4111 1111 1111 1112 expires soon.")]
    [InlineData("Card 0000 0000 0000 0000 expires soon.")]
    [InlineData("Card 4111 1111-1111 1111 expires soon.")]
    [InlineData("Serial 41111111111111111111111 is long.")]
    public void Card_like_numbers_that_fail_the_checks_stay(string text)
    {
        Assert.Equal(text, Default.Scrub(text));
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("DE89370400440532013000")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91ABNA0417164300")]
    public void IBANs_that_pass_mod97_are_replaced(string iban)
    {
        Assert.Equal("Pay to <IBAN> now.", Default.Scrub($"Pay to {iban} now."));
    }

    [Fact]
    public void An_IBAN_followed_by_a_capitalized_word_is_still_found()
    {
        Assert.Equal("Account <IBAN> CASH only.", Default.Scrub("Account BE68 5390 0754 7034 CASH only."));
    }

    [Theory]
    [InlineData("Pay to DE89 3704 0044 0532 0130 01 now.")]
    [InlineData("Pay to GB82WEST12345698765431 now.")]
    [InlineData("Code AB12CDEFGHIJKLMNOP now.")]
    public void IBAN_like_strings_that_fail_mod97_stay(string text)
    {
        Assert.Equal(text, Default.Scrub(text));
    }

    [Fact]
    public void Cards_are_claimed_before_phones_and_IBANs_before_cards()
    {
        Assert.Equal("<CREDIT_CARD>", Default.Scrub("4111 1111 1111 1111"));
        Assert.Equal("<IBAN>", Default.Scrub("DE89370400440532013000"));
    }

    [Fact]
    public async Task Counts_per_type_are_recorded()
    {
        var record = DataRecord.CreateChat(
            "r1",
            ("user", "Mail me at ann@example.com or bob@example.org, or call +44 20 7946 0958."),
            ("assistant", "Server 10.0.0.1 charged card 4111111111111111 and IBAN GB82WEST12345698765432."));
        var clean = DataRecord.CreateText("r2", "Nothing personal here.");

        var (kept, context) = await StepRunner.RunAsync(Default, record, clean);

        Assert.Equal(2, kept.Count);
        Assert.Equal("Mail me at <EMAIL> or <EMAIL>, or call <PHONE>.", record.Fields[0].Value);
        Assert.Equal("Server <IP_ADDRESS> charged card <CREDIT_CARD> and IBAN <IBAN>.", record.Fields[1].Value);
        Assert.Equal(2, context.Counter("pii.email"));
        Assert.Equal(1, context.Counter("pii.phone"));
        Assert.Equal(1, context.Counter("pii.ip_address"));
        Assert.Equal(1, context.Counter("pii.credit_card"));
        Assert.Equal(1, context.Counter("pii.iban"));
        Assert.Equal(1, context.Counter("pii.records"));
    }

    [Fact]
    public void Types_can_be_turned_off_and_placeholders_changed()
    {
        var step = new PiiScrubStep(new PiiScrubOptions { Types = PiiTypes.Email | PiiTypes.Phone, EmailPlaceholder = "[email]" });

        Assert.Equal("[email] 8.8.8.8 <PHONE> 4111111111111111", step.Scrub("a@b.io 8.8.8.8 415-555-2671 4111111111111111"));
        Assert.Equal("email,phone", step.Parameters["types"]);
        Assert.Equal("[email]", step.Parameters["placeholder.email"]);
        Assert.False(step.Parameters.ContainsKey("placeholder.iban"));
    }

    [Fact]
    public async Task Only_named_fields_are_scrubbed_when_fields_are_named()
    {
        var options = new PiiScrubOptions();
        options.Fields.Add(FieldNames.Output);
        var record = DataRecord.CreateInstruction("r1", "Email a@b.io", string.Empty, "Sent to a@b.io");

        await StepRunner.RunAsync(new PiiScrubStep(options), record);

        Assert.Equal("Email a@b.io", record.GetField(FieldNames.Instruction));
        Assert.Equal("Sent to <EMAIL>", record.GetField(FieldNames.Output));
    }

    [Fact]
    public void Text_without_personal_data_keeps_its_instance()
    {
        var text = "Prices rose 4% in 2023 according to the report (page 12).";

        Assert.Same(text, Default.Scrub(text));
    }

    [Fact]
    public void Parameters_and_validation()
    {
        Assert.Equal("pii.scrub", Default.Id);
        Assert.Equal("email,iban,credit_card,ip_address,phone", Default.Parameters["types"]);
        Assert.Equal("<IP_ADDRESS>", Default.Parameters["placeholder.ip_address"]);
        Assert.Equal("*", Default.Parameters["fields"]);
        Assert.Throws<ArgumentException>(() => new PiiScrubStep(new PiiScrubOptions { Types = (PiiTypes)64 }));
        Assert.Throws<ArgumentNullException>(() => new PiiScrubStep(new PiiScrubOptions { PhonePlaceholder = null! }));
    }

    [Fact]
    public void Luhn_and_mod97_checks()
    {
        Assert.True(PiiValidators.Luhn("79927398713"));
        Assert.False(PiiValidators.Luhn("79927398710"));
        Assert.True(PiiValidators.IsIban("GB82 WEST 1234 5698 7654 32"));
        Assert.False(PiiValidators.IsIban("GB82 WEST 1234 5698 7654 33"));
        Assert.False(PiiValidators.IsIban("GB82"));
    }

    [Fact]
    public void Sixteen_digit_numbers_are_replaced_exactly_when_they_pass_Luhn()
    {
        Gen.Long[1_000_000_000_000_000, 9_999_999_999_999_999].Sample(number =>
        {
            var digits = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var scrubbed = new PiiScrubStep(new PiiScrubOptions { Types = PiiTypes.CreditCard }).Scrub($"n {digits} n");
            Assert.Equal(PiiValidators.Luhn(digits) && digits.AsSpan().ContainsAnyExcept(digits[0]), scrubbed == "n <CREDIT_CARD> n");
        });
    }
}
