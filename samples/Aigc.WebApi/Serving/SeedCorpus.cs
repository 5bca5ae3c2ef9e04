namespace Aigc.WebApi.Serving;

/// <summary>
/// The few product descriptions the tiny offline model is trained on for a minute at most, so the playground answers
/// in words rather than random tokens. It memorises them; it does not write well.
/// </summary>
internal static class SeedCorpus
{
    /// <summary>Gets (product, description) pairs.</summary>
    public static IReadOnlyList<(string Product, string Description)> Items { get; } =
    [
        ("linen shirt", "A breezy linen shirt with a relaxed fit, cut for warm days and easy evenings."),
        ("ceramic mug", "A hand-glazed ceramic mug that keeps your coffee warm and your mornings calm."),
        ("leather wallet", "A slim leather wallet with six card slots, stitched to last for years."),
        ("wool scarf", "A soft merino wool scarf, light enough for spring and warm enough for winter."),
        ("running shoes", "Light running shoes with a cushioned sole and a breathable mesh upper."),
        ("desk lamp", "A dimmable desk lamp with a warm glow and a base that fits any desk."),
        ("water bottle", "A steel water bottle that keeps drinks cold for a day and hot for hours."),
        ("cotton hoodie", "A brushed cotton hoodie with deep pockets and a hood that holds its shape."),
        ("canvas backpack", "A waxed canvas backpack with a padded laptop sleeve and brass buckles."),
        ("scented candle", "A soy scented candle with notes of cedar and citrus that burns for forty hours."),
        ("sun hat", "A wide-brim straw sun hat that folds flat and shades you all afternoon."),
        ("denim jacket", "A classic denim jacket in washed indigo, softened for everyday wear."),
        ("tea kettle", "An enamel tea kettle that whistles when the water is ready for your tea."),
        ("yoga mat", "A non-slip yoga mat with a cushioned core and a strap to carry it."),
        ("silk pillowcase", "A pure silk pillowcase that is gentle on hair and cool to the touch."),
        ("wooden cutting board", "An oak cutting board with a juice groove, oiled and ready for the kitchen."),
    ];

    /// <summary>Gets the user turn that asks for a description, as the playground's prompt suggests.</summary>
    public static string Ask(string product) => $"Write a product description for a {product}";
}
