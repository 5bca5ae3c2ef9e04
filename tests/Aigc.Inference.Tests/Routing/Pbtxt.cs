namespace Aigc.Inference.Tests.Routing;

/// <summary>
/// Reads protobuf text format (as in Triton's config.pbtxt) back into fields: <c>name: value</c>, <c>name: [a, b]</c>,
/// <c>name { … }</c>, <c>name: { … }</c> and <c>name [ { … }, { … } ]</c>. Enough to check what the exporter wrote.
/// </summary>
internal sealed class Pbtxt
{
    private readonly List<(string Name, object Value)> _fields = [];

    public static Pbtxt Parse(string text)
    {
        var tokens = Tokenize(text);
        var position = 0;
        var message = ParseFields(tokens, ref position, closing: null);
        Assert.Equal(tokens.Count, position);
        return message;
    }

    public string Single(string name) => Assert.Single(All(name));

    public List<string> All(string name) => _fields.Where(f => f.Name == name).Select(f => f.Value).OfType<string>().ToList();

    public IEnumerable<Pbtxt> Messages(string name) => _fields.Where(f => f.Name == name).Select(f => f.Value).OfType<Pbtxt>();

    private static Pbtxt ParseFields(List<string> tokens, ref int position, string? closing)
    {
        var message = new Pbtxt();
        while (position < tokens.Count && tokens[position] != closing)
        {
            var name = tokens[position++];
            Assert.Matches("^[a-z_]+$", name);
            if (tokens[position] == ":")
            {
                position++;
            }

            foreach (var value in ParseValues(tokens, ref position))
            {
                message._fields.Add((name, value));
            }

            if (position < tokens.Count && tokens[position] == ",")
            {
                position++;
            }
        }

        if (closing is not null)
        {
            Assert.Equal(closing, tokens[position++]);
        }

        return message;
    }

    private static IEnumerable<object> ParseValues(List<string> tokens, ref int position)
    {
        var token = tokens[position++];
        if (token == "{")
        {
            return [ParseFields(tokens, ref position, "}")];
        }

        if (token != "[")
        {
            return [Scalar(token)];
        }

        var values = new List<object>();
        while (tokens[position] != "]")
        {
            values.AddRange(ParseValues(tokens, ref position));
            if (tokens[position] == ",")
            {
                position++;
            }
        }

        position++;
        return values;
    }

    private static string Scalar(string token) => token.StartsWith('"') ? token[1..^1].Replace("\\\"", "\"").Replace("\\\\", "\\") : token;

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if ("{}[]:,".Contains(c))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '"')
            {
                var end = i + 1;
                while (text[end] != '"' || text[end - 1] == '\\')
                {
                    end++;
                }

                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '-' or '.'))
                {
                    end++;
                }

                Assert.True(end > i, $"Unexpected character '{c}' at {i}.");
                tokens.Add(text[i..end]);
                i = end;
            }
        }

        return tokens;
    }
}
