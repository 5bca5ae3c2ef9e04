using System.Text;

namespace Aigc.Inference;

/// <summary>
/// Finds stop sequences in streamed text: text that could still be the start of a stop sequence is held back until
/// it is known not to be one, so nothing after a stop (nor the stop itself) is ever handed out.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _pending = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds a delta; returns the text that is safe to hand out.</summary>
    public string Push(string delta)
    {
        if (stops.Count == 0)
        {
            return delta;
        }

        _pending.Append(delta);
        var text = _pending.ToString();
        var first = -1;
        foreach (var stop in stops)
        {
            var index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        if (first >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return text[..first];
        }

        var hold = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > hold; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    hold = length;
                    break;
                }
            }
        }

        _pending.Clear().Append(text, text.Length - hold, hold);
        return text[..^hold];
    }

    /// <summary>Returns the text held back, at the end of the output.</summary>
    public string Flush()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }
}
