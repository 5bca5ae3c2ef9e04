using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Aigc.Inference;

/// <summary>A route's target inside one model: an alias or a pinned version, parsed from <c>@alias</c>, <c>3</c> or a model URI.</summary>
internal readonly record struct ModelTarget(string? Alias, int? Version, string? ModelName)
{
    public bool IsAlias => Alias is not null;

    public static bool TryParse(string? text, out ModelTarget target, [NotNullWhen(false)] out string? error)
    {
        target = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The target is empty: give '@alias' (for example '@champion'), a version number, or a model URI such as 'models:/writer@champion'.";
            return false;
        }

        if (text[0] == '@')
        {
            var alias = text[1..];
            if (!ModelUri.IsValidAlias(alias))
            {
                error = $"'{text}' is not a valid alias target: after '@' use 1 to 64 letters, digits, '_' and '-', starting with a letter.";
                return false;
            }

            target = new ModelTarget(alias, null, null);
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number < 1)
            {
                error = $"'{text}' is not a version number: versions start at 1.";
                return false;
            }

            target = new ModelTarget(null, number, null);
            return true;
        }

        if (ModelUri.TryParse(text, out var uri))
        {
            target = new ModelTarget(uri.Alias, uri.Version, uri.Name);
            return true;
        }

        error = $"'{text}' is not a target: give '@alias' (for example '@champion'), a version number, or a model URI such as 'models:/writer@champion' or 'models:/writer/3'.";
        return false;
    }

    public static ModelTarget Parse(string text, string modelName)
    {
        if (!TryParse(text, out var target, out var error))
        {
            throw new ArgumentException(error, nameof(text));
        }

        if (target.ModelName is { } other && !string.Equals(other, modelName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The target '{text}' names model '{other}', but the router serves model '{modelName}'.", nameof(text));
        }

        return target with { ModelName = modelName };
    }

    public override string ToString() => IsAlias ? ModelUri.ForAlias(ModelName!, Alias!).ToString() : ModelUri.ForVersion(ModelName!, Version!.Value).ToString();
}
