using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Aigc.Data;

/// <summary>
/// Paraphrase augmentation through any <see cref="IChatClient"/> (step id <c>augment.paraphrase</c>): keeps every record
/// and adds copies whose chosen field is rewritten by the model, either paraphrased directly or back-translated through a
/// pivot language (two calls).
/// </summary>
/// <remarks>
/// <para>
/// Each copy is one model call (two for back-translation) with <c>ChatOptions.Seed</c> derived from (seed, record id,
/// copy number) and <c>ChatOptions.Temperature</c> from the options, so a provider that honours seeds returns the same
/// paraphrases on a re-run. Up to <see cref="ParaphraseOptions.MaxConcurrency"/> calls run at once; the output keeps
/// the input order (each original followed by its copies) whatever the concurrency.
/// </para>
/// <para>
/// A call that throws or returns nothing skips that copy, never the original: it is counted in
/// <c>augment.paraphrase.failures</c> and the first 100 failures (record id, copy, error) are written to the report
/// <c>augment.paraphrase.failures</c>. Cancelling the run cancels the calls and throws. A paraphrase equal to the
/// original or an earlier copy is skipped (<c>augment.paraphrase.unchanged</c>); a record without the field's text
/// gets no copies (<c>augment.paraphrase.no-text</c>). Copies get the id <c>&lt;id&gt;#aug&lt;k&gt;</c> (numbered on from earlier augmentation steps, see <see cref="AugmentMetadataKeys.LastCopy"/>),
/// <see cref="AugmentMetadataKeys.Source"/> = the original id and <see cref="AugmentMetadataKeys.Method"/> =
/// <c>paraphrase</c> or <c>back-translation</c>, and keep the original's labels.
/// </para>
/// <para>
/// The model id (the configured one, else the client's <see cref="ChatClientMetadata.DefaultModelId"/>) and the
/// prompts are part of the parameters; the model's weights are not, so pin a model version in the id.
/// </para>
/// </remarks>
public sealed class ParaphraseAugmentStep : IDataStep
{
    private const string FailuresName = "augment.paraphrase.failures";
    private const string CopiesCounter = "augment.paraphrase.copies";
    private const string UnchangedCounter = "augment.paraphrase.unchanged";
    private const string NoTextCounter = "augment.paraphrase.no-text";
    private const int MaxReportedFailures = 100;

    private readonly IChatClient _client;
    private readonly ParaphraseMode _mode;
    private readonly int _copies;
    private readonly string _prompt;
    private readonly string _forward;
    private readonly string _backward;
    private readonly string? _field;
    private readonly string? _modelId;
    private readonly float? _temperature;
    private readonly int? _seed;
    private readonly int _maxConcurrency;
    private readonly string _method;

    /// <summary>Initializes a paraphrase step.</summary>
    /// <param name="client">The chat client that paraphrases or translates.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every problem).</exception>
    public ParaphraseAugmentStep(IChatClient client, ParaphraseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new ParaphraseOptions();
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Mode {(int)options.Mode} is not defined.");
        }

        AugmentSupport.CheckRange(errors, nameof(ParaphraseOptions.CopiesPerRecord), options.CopiesPerRecord, 1, 100);
        AugmentSupport.CheckRange(errors, nameof(ParaphraseOptions.MaxConcurrency), options.MaxConcurrency, 1, 256);
        if (options.Temperature is { } temperature)
        {
            AugmentSupport.CheckRange(errors, nameof(ParaphraseOptions.Temperature), temperature, 0, 2);
        }

        if (options.Field is not null && string.IsNullOrWhiteSpace(options.Field))
        {
            errors.Add("Field is empty; use null for the kind's default field.");
        }

        if (options.Mode == ParaphraseMode.BackTranslation)
        {
            CheckTemplate(errors, nameof(ParaphraseOptions.ForwardTemplate), options.ForwardTemplate);
            CheckTemplate(errors, nameof(ParaphraseOptions.BackwardTemplate), options.BackwardTemplate);
            if (string.IsNullOrWhiteSpace(options.PivotLanguage))
            {
                errors.Add("PivotLanguage is empty.");
            }

            if (string.IsNullOrWhiteSpace(options.SourceLanguage))
            {
                errors.Add("SourceLanguage is empty.");
            }
        }
        else
        {
            CheckTemplate(errors, nameof(ParaphraseOptions.PromptTemplate), options.PromptTemplate);
        }

        AugmentSupport.ThrowIfAny(errors, nameof(ParaphraseOptions), nameof(options));
        _client = client;
        _mode = options.Mode;
        _copies = options.CopiesPerRecord;
        _field = options.Field;
        _modelId = options.ModelId;
        _temperature = options.Temperature;
        _seed = options.Seed;
        _maxConcurrency = options.MaxConcurrency;
        var parameters = new StepParameters()
            .Add("mode", _mode.ToString())
            .Add("copies", _copies)
            .Add("field", _field ?? "default")
            .Add("temperature", _temperature is { } t ? ((double)t).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)
            .Add("seed", AugmentSupport.SeedParameter(_seed));
        var metadata = client.GetService<ChatClientMetadata>();
        parameters.Add("model", _modelId ?? metadata?.DefaultModelId ?? string.Empty);
        parameters.Add("provider", metadata?.ProviderName ?? string.Empty);
        if (_mode == ParaphraseMode.BackTranslation)
        {
            // Fill in the languages now: the prompts recorded are the prompts sent.
            _forward = FillLanguages(options.ForwardTemplate, options.PivotLanguage, options.SourceLanguage);
            _backward = FillLanguages(options.BackwardTemplate, options.PivotLanguage, options.SourceLanguage);
            _prompt = string.Empty;
            _method = "back-translation";
            parameters.Add("forward-prompt", _forward).Add("backward-prompt", _backward);
        }
        else
        {
            _prompt = FillLanguages(options.PromptTemplate, options.PivotLanguage, options.SourceLanguage);
            _forward = _backward = string.Empty;
            _method = "paraphrase";
            parameters.Add("prompt", _prompt);
        }

        Parameters = parameters;
    }

    /// <inheritdoc />
    /// <value><c>augment.paraphrase</c>.</value>
    public string Id => "augment.paraphrase";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Keys: <c>mode</c>, <c>copies</c>, <c>field</c>, <c>model</c>, <c>provider</c>, <c>temperature</c>, <c>seed</c>,
    /// and <c>prompt</c> or <c>forward-prompt</c> and <c>backward-prompt</c> (the templates with the languages filled in).
    /// </remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ExecuteAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        var run = new Run(this, context, _seed ?? context.Seed);
        using (run)
        {
            await foreach (var (record, copies) in OrderedConcurrency.SelectAsync(records, run.AugmentAsync, _maxConcurrency, cancellationToken).ConfigureAwait(false))
            {
                if (copies.Count > 0)
                {
                    context.MarkAdded(copies.Count);
                    context.Increment(CopiesCounter, copies.Count);
                }

                yield return record;
                foreach (var copy in copies)
                {
                    yield return copy;
                }
            }

            if (!run.Failures.IsEmpty)
            {
                var failures = run.Failures.ToArray();
                Array.Sort(failures, static (a, b) =>
                {
                    var byId = string.CompareOrdinal(a.RecordId, b.RecordId);
                    return byId != 0 ? byId : a.Copy.CompareTo(b.Copy);
                });
                context.AddReport(FailuresName, failures);
            }
        }
    }

    private static void CheckTemplate(List<string> errors, string name, string? template)
    {
        if (string.IsNullOrWhiteSpace(template) || !template.Contains("{text}", StringComparison.Ordinal))
        {
            errors.Add($"{name} must contain the placeholder {{text}}.");
        }
    }

    private static string FillLanguages(string template, string pivot, string source) =>
        template.Replace("{language}", pivot, StringComparison.Ordinal).Replace("{source}", source, StringComparison.Ordinal);

    private static string Fill(string template, string text) => template.Replace("{text}", text, StringComparison.Ordinal);

    /// <summary>The state of one execution: the concurrency gate, the seed and the failures.</summary>
    private sealed class Run(ParaphraseAugmentStep step, DataStepContext context, int seed) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(step._maxConcurrency, step._maxConcurrency);

        public ConcurrentQueue<ParaphraseFailure> Failures { get; } = new();

        public void Dispose() => _gate.Dispose();

        public async Task<(DataRecord Record, List<DataRecord> Copies)> AugmentAsync(DataRecord record, CancellationToken cancellationToken)
        {
            var copies = new List<DataRecord>(0);
            var field = step._field ?? AugmentSupport.DefaultFields(record.Kind)[0];
            var text = record.GetField(field);
            if (string.IsNullOrWhiteSpace(text))
            {
                context.Increment(NoTextCounter);
                return (record, copies);
            }

            var calls = new Task<string?>[step._copies];
            for (var k = 1; k <= calls.Length; k++)
            {
                calls[k - 1] = RewriteAsync(record.Id, text, k, cancellationToken);
            }

            var rewrites = await Task.WhenAll(calls).ConfigureAwait(false);
            var number = AugmentSupport.FirstCopyNumber(record);
            AugmentSupport.ReserveCopyNumbers(record, number + rewrites.Length - 1);
            var texts = new List<string>(rewrites.Length);
            for (var k = 1; k <= rewrites.Length; k++)
            {
                var rewrite = rewrites[k - 1];
                if (rewrite is null)
                {
                    continue;
                }

                if (AugmentSupport.IsRepeat(rewrite, text, texts))
                {
                    context.Increment(UnchangedCounter);
                    continue;
                }

                texts.Add(rewrite);
                var copy = AugmentSupport.CreateCopy(record, number + k - 1, step._method);
                copy.SetField(field, rewrite);
                copies.Add(copy);
            }

            return (record, copies);
        }

        private async Task<string?> RewriteAsync(string recordId, string text, int copy, CancellationToken cancellationToken)
        {
            var callSeed = AugmentRandom.DeriveSeed(seed, step.Id, recordId, copy);
            try
            {
                string result;
                if (step._mode == ParaphraseMode.BackTranslation)
                {
                    var pivot = await CallAsync(Fill(step._forward, text), callSeed, cancellationToken).ConfigureAwait(false);
                    if (pivot.Length == 0)
                    {
                        Fail(recordId, copy, "the translation into the pivot language was empty");
                        return null;
                    }

                    result = await CallAsync(Fill(step._backward, pivot), callSeed, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    result = await CallAsync(Fill(step._prompt, text), callSeed, cancellationToken).ConfigureAwait(false);
                }

                if (result.Length == 0)
                {
                    Fail(recordId, copy, "the model returned an empty response");
                    return null;
                }

                return result;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed call costs this copy only; it is counted and reported, and the original is kept.
                Fail(recordId, copy, e.GetType().Name + ": " + e.Message);
                return null;
            }
        }

        private async Task<string> CallAsync(string prompt, long callSeed, CancellationToken cancellationToken)
        {
            var options = new ChatOptions { ModelId = step._modelId, Temperature = step._temperature, Seed = callSeed };
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var response = await step._client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken).ConfigureAwait(false);
                return response.Text.Trim();
            }
            finally
            {
                _gate.Release();
            }
        }

        private void Fail(string recordId, int copy, string error)
        {
            context.Increment(FailuresName);
            if (Failures.Count < MaxReportedFailures)
            {
                Failures.Enqueue(new ParaphraseFailure(recordId, copy, error));
            }
        }
    }
}
