using System.Text;

namespace Aigc.Inference;

/// <summary>
/// Applies the blocklist and the classifier to streamed output: text that could be the start of a blocked term, or
/// that the classifier has not judged yet, is held back; a blocked term is redacted or ends the output before it.
/// </summary>
internal sealed class OutputGuard(GuardrailsOptions options)
{
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _released = new();
    private readonly int _hold = Math.Max(0, options.BlockedTerms.Select(t => t.Length).DefaultIfEmpty(0).Max() - 1);
    private int _judged;

    /// <summary>Gets the report once the guard stopped the output.</summary>
    public GuardrailReport? Report { get; private set; }

    /// <summary>Adds output; returns the text that may be handed out (empty once stopped).</summary>
    public ValueTask<string> PushAsync(string delta, CancellationToken cancellationToken) => ProcessAsync(delta, final: false, cancellationToken);

    /// <summary>Ends the output; returns the rest that may be handed out.</summary>
    public ValueTask<string> FinishAsync(CancellationToken cancellationToken) => ProcessAsync(string.Empty, final: true, cancellationToken);

    private async ValueTask<string> ProcessAsync(string delta, bool final, CancellationToken cancellationToken)
    {
        if (Report is not null)
        {
            return string.Empty;
        }

        _pending.Append(delta);
        var text = _pending.ToString();
        var (index, term) = Guardrails.FindTerm(text, options.BlockedTerms);
        var release = text;
        if (index >= 0 && options.OutputAction == GuardrailAction.Stop)
        {
            Report = new GuardrailReport(ContentDirection.Output, "blocklist", GuardrailAction.Stop, $"The output contains the blocked term \"{term}\".");
            release = text[..index];
        }
        else
        {
            if (index >= 0)
            {
                release = Guardrails.Redact(text, options.BlockedTerms, options.Redaction);
            }

            var keep = final ? 0 : Math.Min(_hold, release.Length);
            _pending.Clear().Append(release, release.Length - keep, keep);
            release = release[..^keep];
        }

        if (options.Classifier is { } classifier && (final || Report is not null || _released.Length + release.Length - _judged >= options.ClassifierInterval))
        {
            var candidate = _released.ToString() + release;
            var verdict = await classifier.ClassifyAsync(candidate, ContentDirection.Output, cancellationToken).ConfigureAwait(false);
            _judged = candidate.Length;
            if (verdict.Flagged)
            {
                Report = new GuardrailReport(ContentDirection.Output, "classifier", GuardrailAction.Stop, Guardrails.Describe(verdict));
                return string.Empty;
            }
        }
        else if (options.Classifier is not null)
        {
            // Not judged yet: hold it.
            _pending.Insert(0, release);
            return string.Empty;
        }

        _released.Append(release);
        if (Report is not null)
        {
            _pending.Clear();
        }

        return release;
    }
}
