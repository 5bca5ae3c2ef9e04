namespace Aigc.Data;

/// <summary>Validation of labeler and label set names shared by the labeling types.</summary>
internal static class LabelerNames
{
    /// <summary>Throws when <paramref name="name"/> is not a usable labeler or label set name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="parameterName">The parameter that carried it.</param>
    public static void Validate(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new ArgumentException($"The name '{name}' contains white space or a control character; use letters, digits, '-', '_' or '.'.", parameterName);
            }
        }
    }
}
