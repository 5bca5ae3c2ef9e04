namespace Aigc.Data;

/// <summary>Neighbouring keys of ASCII letters and digits on a QWERTY keyboard (same row and the rows above and below).</summary>
internal static class KeyboardNeighbors
{
    private static readonly string[] s_rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
    private static readonly string[] s_neighbors = Build();

    /// <summary>Returns the neighbours of a character, in lower case, or an empty string when it has none.</summary>
    /// <param name="c">The character (any case).</param>
    /// <returns>The neighbours.</returns>
    public static string Of(char c)
    {
        var lower = char.ToLowerInvariant(c);
        return lower < 128 ? s_neighbors[lower] : string.Empty;
    }

    private static string[] Build()
    {
        var table = new string[128];
        Array.Fill(table, string.Empty);
        for (var r = 0; r < s_rows.Length; r++)
        {
            for (var c = 0; c < s_rows[r].Length; c++)
            {
                var neighbors = new List<char>(8);
                Add(neighbors, r, c - 1);
                Add(neighbors, r, c + 1);

                // Each row is shifted right of the one above: key c touches c and c + 1 above, c - 1 and c below.
                Add(neighbors, r - 1, c);
                Add(neighbors, r - 1, c + 1);
                Add(neighbors, r + 1, c - 1);
                Add(neighbors, r + 1, c);
                table[s_rows[r][c]] = new string([.. neighbors]);
            }
        }

        return table;
    }

    private static void Add(List<char> neighbors, int row, int column)
    {
        if (row >= 0 && row < s_rows.Length && column >= 0 && column < s_rows[row].Length)
        {
            neighbors.Add(s_rows[row][column]);
        }
    }
}
