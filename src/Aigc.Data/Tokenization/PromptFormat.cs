namespace Aigc.Data;

/// <summary>An instruction prompt format parsed once into literal text and <c>{instruction}</c> / <c>{input}</c> placeholders.</summary>
internal sealed class PromptFormat
{
    internal const int Literal = 0;
    internal const int Instruction = 1;
    internal const int Input = 2;

    private PromptFormat(string text, (string Text, int Kind)[] pieces, bool hasInput)
    {
        Text = text;
        Pieces = pieces;
        HasInput = hasInput;
    }

    public string Text { get; }

    public (string Text, int Kind)[] Pieces { get; }

    public bool HasInput { get; }

    public static PromptFormat? Parse(string? format)
    {
        if (format is null)
        {
            return null;
        }

        var pieces = new List<(string Text, int Kind)>();
        var literalStart = 0;
        var position = 0;
        var hasInput = false;
        while (position < format.Length)
        {
            var next = format.IndexOf('{', position);
            if (next < 0)
            {
                break;
            }

            var kind = Matches(format, next, ChatTemplate.InstructionPlaceholder) ? Instruction
                : Matches(format, next, ChatTemplate.InputPlaceholder) ? Input
                : Literal;
            if (kind == Literal)
            {
                position = next + 1;
                continue;
            }

            if (next > literalStart)
            {
                pieces.Add((format[literalStart..next], Literal));
            }

            pieces.Add((string.Empty, kind));
            hasInput |= kind == Input;
            position = literalStart = next + (kind == Instruction ? ChatTemplate.InstructionPlaceholder.Length : ChatTemplate.InputPlaceholder.Length);
        }

        if (literalStart < format.Length)
        {
            pieces.Add((format[literalStart..], Literal));
        }

        return new PromptFormat(format, [.. pieces], hasInput);
    }

    private static bool Matches(string format, int index, string placeholder) =>
        string.CompareOrdinal(format, index, placeholder, 0, placeholder.Length) == 0;
}
