namespace Aigc.Monitoring;

/// <summary>Argument checks shared by the corpus metrics.</summary>
internal static class QualityArguments
{
    /// <summary>Checks that every reference stream has one entry per hypothesis.</summary>
    public static void CheckStreams(int hypothesisCount, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Count == 0)
        {
            throw new ArgumentException("Give at least one reference stream.", nameof(referenceStreams));
        }

        for (var k = 0; k < referenceStreams.Count; k++)
        {
            var stream = referenceStreams[k] ?? throw new ArgumentNullException(nameof(referenceStreams), $"Reference stream {k} is null.");
            if (stream.Count != hypothesisCount)
            {
                throw new ArgumentException($"Reference stream {k} has {stream.Count} segments but there are {hypothesisCount} hypotheses; every stream needs one reference (or an empty string) per hypothesis.", nameof(referenceStreams));
            }
        }
    }
}
