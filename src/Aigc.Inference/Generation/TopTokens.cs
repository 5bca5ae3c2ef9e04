namespace Aigc.Inference;

/// <summary>Selects the largest values of a span without sorting it all (a bounded min-heap, O(n log k)).</summary>
internal static class TopTokens
{
    /// <summary>Writes the indices of the <paramref name="count"/> largest values into <paramref name="indices"/>, largest first (ties: lower index first).</summary>
    /// <returns>How many indices were written (the smaller of <paramref name="count"/> and the span's length).</returns>
    public static int Select(ReadOnlySpan<float> values, int count, Span<int> indices)
    {
        count = Math.Min(count, values.Length);
        if (count <= 0)
        {
            return 0;
        }

        var heap = indices[..count];
        var size = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (size < count)
            {
                heap[size] = i;
                SiftUp(values, heap, size);
                size++;
            }
            else if (Better(values, i, heap[0]))
            {
                heap[0] = i;
                SiftDown(values, heap, 0, size);
            }
        }

        // Heap sort: repeatedly move the worst to the end, leaving the best first.
        for (var end = size - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(values, heap, 0, end);
        }

        return size;
    }

    /// <summary>Whether index <paramref name="a"/> ranks above <paramref name="b"/> (larger value; on ties the lower index).</summary>
    private static bool Better(ReadOnlySpan<float> values, int a, int b) => values[a] > values[b] || (values[a] == values[b] && a < b);

    private static void SiftUp(ReadOnlySpan<float> values, Span<int> heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(values, heap[parent], heap[i]))
            {
                break;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(ReadOnlySpan<float> values, Span<int> heap, int i, int size)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= size)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < size && Better(values, heap[left], heap[right]))
            {
                worst = right;
            }

            if (!Better(values, heap[i], heap[worst]))
            {
                return;
            }

            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
