using System.Text.RegularExpressions;

namespace Aigc.Data;

/// <summary>Checks dataset and report names, so that no name can leave the store's root folder.</summary>
internal static partial class DatasetNames
{
    public static void Validate(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameterName);
        if (!ValidName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid name: use 1 to 128 letters, digits, '-', '_' and '.', starting with a letter or digit, without '..'.",
                parameterName);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
