using System.Globalization;
using System.Text;
using Aigc;
using Aigc.Data;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// A synthetic e-commerce corpus: product attributes → a description in one of two brand styles. "Aurora" is
/// playful (exclamations, second person, emoji); "Nordic" is calm and factual. Like real exports it has flaws the
/// pipeline must handle: HTML, control characters, contact details (PII), exact and near duplicates, empty outputs.
/// The file is the same on every run (seeded), so the curated dataset is reused the second time.
/// </summary>
internal static class SyntheticCatalog
{
    public const string Aurora = "aurora";
    public const string Nordic = "nordic";

    private static readonly string[] Products = ["backpack", "water bottle", "running shoe", "wool scarf", "desk lamp", "travel mug", "rain jacket", "yoga mat", "leather wallet", "wireless speaker", "ceramic bowl", "linen shirt"];
    private static readonly string[] Colors = ["black", "forest green", "sand", "navy", "coral", "slate grey", "white", "amber"];
    private static readonly string[] Materials = ["recycled polyester", "stainless steel", "merino wool", "organic cotton", "full-grain leather", "bamboo", "aluminium", "ceramic"];
    private static readonly string[] Features = ["water resistant", "lightweight", "machine washable", "keeps drinks cold for 24 hours", "fits a 15-inch laptop", "foldable", "USB-C rechargeable", "non-slip", "hand made", "adjustable straps"];
    private static readonly string[] Uses = ["the daily commute", "weekend hikes", "long flights", "the office", "morning runs", "quiet evenings at home"];

    /// <summary>Writes the corpus as Alpaca JSONL and returns the number of lines.</summary>
    public static int Write(string path, int products, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var random = new Random(seed);
        var lines = new List<string>(products * 2 + products / 5);
        for (var i = 0; i < products; i++)
        {
            var product = Pick(random, Products);
            var color = Pick(random, Colors);
            var material = Pick(random, Materials);
            var feature = Pick(random, Features);
            var use = Pick(random, Uses);
            var attributes = string.Create(CultureInfo.InvariantCulture, $"product: {product}; color: {color}; material: {material}; feature: {feature}; use: {use}");
            foreach (var style in new[] { Aurora, Nordic })
            {
                var description = Describe(style, product, color, material, feature, use, random);
                var flaw = random.Next(20);
                description = flaw switch
                {
                    0 => "<p>" + description + "</p> <br/>",
                    1 => description + " Questions? Write to help@shop.example or call +1 415 555 2671.",
                    2 => description.Replace(" ", "\u0007 ", StringComparison.Ordinal),
                    3 => string.Empty,
                    _ => description,
                };
                lines.Add(Line($"{i}-{style}", Instruction(style), attributes, description));
            }

            if (i % 7 == 0)
            {
                // A re-export of the same product: an exact copy up to case and spacing.
                var copy = Describe(Aurora, product, color, material, feature, use, new Random(i));
                lines.Add(Line($"{i}-aurora-copy", Instruction(Aurora), attributes, copy.ToUpperInvariant().Replace(" ", "  ", StringComparison.Ordinal)));
                lines.Add(Line($"{i}-aurora-copy2", Instruction(Aurora), attributes, copy.ToUpperInvariant().Replace(" ", "  ", StringComparison.Ordinal)));
            }
        }

        File.WriteAllLines(path, lines, new UTF8Encoding(false));
        return lines.Count;
    }

    /// <summary>The instruction for a brand style.</summary>
    public static string Instruction(string style) =>
        $"Write a product description in the {(style == Aurora ? "Aurora" : "Nordic")} brand style.";

    /// <summary>A description in a brand style.</summary>
    public static string Describe(string style, string product, string color, string material, string feature, string use, Random random) =>
        style == Aurora
            ? Pick(random, [
                $"Meet your new favourite {product}! Made from {material} in a gorgeous {color}, it is {feature} and ready for {use}. You'll love it! ✨",
                $"Say hello to the {color} {product}! It's {feature}, crafted from {material}, and made for {use}. Grab yours today! 🎉",
                $"Wow, this {product} is a game changer! {char.ToUpperInvariant(feature[0])}{feature[1..]}, {material}, {color} — perfect for {use}. Treat yourself! 💛"])
            : Pick(random, [
                $"The {product} in {color}. {char.ToUpperInvariant(material[0])}{material[1..]}, {feature}. Designed for {use}.",
                $"A {color} {product} made of {material}. It is {feature} and suited to {use}.",
                $"{char.ToUpperInvariant(product[0])}{product[1..]}. Colour: {color}. Material: {material}. {char.ToUpperInvariant(feature[0])}{feature[1..]}. For {use}."]);

    private static string Line(string id, string instruction, string input, string output) =>
        DataRecordJson.Serialize(DataRecord.CreateInstruction(id, instruction, input, output));

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
