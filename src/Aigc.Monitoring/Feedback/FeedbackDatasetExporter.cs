using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Aigc.Monitoring;

/// <summary>
/// Closes the loop from users back to training data: turns the stored feedback of one model version into dataset
/// versions written through <see cref="IDatasetStore"/> (Aigc.Data's store, or any other implementation).
/// </summary>
/// <remarks>
/// <para>Two datasets come out, each only when it has records:</para>
/// <list type="bullet">
/// <item><description><b>Instructions</b> (<see cref="RecordKind.Instruction"/>): every thumbs-down
/// (<see cref="FeedbackExportRequest.ThumbsName"/> = false) that carries a correction becomes prompt → corrected
/// answer. Feedback without a stored prompt is rejected with its reason; repeats of the same prompt and correction
/// are duplicates: counted as such and written with the rejects, naming the first.</description></item>
/// <item><description><b>Preferences</b> (<see cref="RecordKind.Preference"/>): for each prompt with at least two
/// different rated answers, the answer with the highest mean rating is <c>chosen</c> and the one with the lowest
/// <c>rejected</c>, when their means differ by at least <see cref="FeedbackExportRequest.MinimumMargin"/>. Numeric
/// ratings are used first; a prompt without a rating pair can get one from thumbs (up = 1, down = 0).</description></item>
/// </list>
/// <para>
/// Lineage: each manifest's metadata names the model (<c>model.name</c>, <c>model.version</c>), the time range and
/// the number of feedback records read, and its parent is <see cref="FeedbackExportRequest.TrainingDataset"/> when
/// given. The fingerprint hashes the exported records and the export settings, so exporting the same feedback
/// again reuses the existing version instead of writing a copy.
/// </para>
/// </remarks>
public sealed class FeedbackDatasetExporter
{
    /// <summary>The step id recorded in instruction manifests.</summary>
    public const string InstructionStepId = "feedback.instructions";

    /// <summary>The step id recorded in preference manifests.</summary>
    public const string PreferenceStepId = "feedback.preferences";

    private const string AllSplit = "all";
    private readonly IFeedbackStore _feedback;
    private readonly IDatasetStore _datasets;

    /// <summary>Initializes the exporter.</summary>
    /// <param name="feedback">The feedback store to read.</param>
    /// <param name="datasets">The dataset store to write (Aigc.Data registers one with <c>AddData()</c>).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public FeedbackDatasetExporter(IFeedbackStore feedback, IDatasetStore datasets)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(datasets);
        _feedback = feedback;
        _datasets = datasets;
    }

    /// <summary>Exports the feedback of one model version.</summary>
    /// <param name="request">The model version, time range and dataset names.</param>
    /// <param name="cancellationToken">Cancels the export; a version being written is discarded.</param>
    /// <returns>The manifests of the written (or reused) versions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name in the request is empty, or the margin is negative.</exception>
    public async Task<FeedbackExportResult> ExportAsync(FeedbackExportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ModelName, nameof(request));
        ArgumentException.ThrowIfNullOrEmpty(request.ModelVersion, nameof(request));
        ArgumentException.ThrowIfNullOrEmpty(request.InstructionDatasetName, nameof(request));
        ArgumentException.ThrowIfNullOrEmpty(request.PreferenceDatasetName, nameof(request));
        if (!(request.MinimumMargin >= 0))
        {
            throw new ArgumentException("The minimum margin must be zero or positive.", nameof(request));
        }

        var query = new FeedbackQuery
        {
            ModelName = request.ModelName,
            ModelVersion = request.ModelVersion,
            From = request.From,
            To = request.To,
            PageSize = 1000,
        };
        var all = new List<FeedbackRecord>();
        await foreach (var record in _feedback.ReadAllAsync(query, cancellationToken).ConfigureAwait(false))
        {
            all.Add(record);
        }

        var (instructions, instructionsReused) = await ExportInstructionsAsync(request, all, cancellationToken).ConfigureAwait(false);
        var (preferences, preferencesReused) = await ExportPreferencesAsync(request, all, cancellationToken).ConfigureAwait(false);
        return new FeedbackExportResult(all.Count, instructions, preferences, instructionsReused, preferencesReused);
    }

    private async Task<(DatasetManifest?, bool)> ExportInstructionsAsync(FeedbackExportRequest request, List<FeedbackRecord> all, CancellationToken cancellationToken)
    {
        var records = new List<DataRecord>();
        var rejects = new List<RejectedRecord>();
        var seen = new Dictionary<(string, string), string>();
        long candidates = 0, duplicates = 0;
        foreach (var feedback in all)
        {
            if (feedback.Name != request.ThumbsName || feedback.Value.AsBoolean != false || string.IsNullOrWhiteSpace(feedback.Correction))
            {
                continue;
            }

            candidates++;
            if (string.IsNullOrWhiteSpace(feedback.Prompt))
            {
                rejects.Add(new RejectedRecord(InstructionStepId, "The feedback has a correction but no prompt: store the prompt with the feedback to export it.", Describe(feedback)) { RecordId = feedback.Id });
                continue;
            }

            if (!seen.TryAdd((feedback.Prompt, feedback.Correction), feedback.Id))
            {
                // Kept with the rejects, as the data pipeline keeps its duplicates: nothing exported is lost.
                var survivor = seen[(feedback.Prompt, feedback.Correction)];
                rejects.Add(RejectedRecord.ForDuplicate(InstructionStepId, Describe(feedback), survivor) with { RecordId = feedback.Id });
                duplicates++;
                continue;
            }

            var record = DataRecord.CreateInstruction(feedback.Id, feedback.Prompt, string.Empty, feedback.Correction);
            AddLineage(record, feedback);
            if (!string.IsNullOrEmpty(feedback.Response))
            {
                record.Metadata["feedback.rejected_response"] = feedback.Response;
            }

            records.Add(record);
        }

        if (records.Count == 0)
        {
            return (null, false);
        }

        var counts = new DatasetCounts { In = candidates, Kept = records.Count, Rejected = rejects.Count - duplicates, Deduplicated = duplicates };
        return await WriteAsync(request, request.InstructionDatasetName, RecordKind.Instruction, InstructionStepId, records, rejects, counts, all.Count, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(DatasetManifest?, bool)> ExportPreferencesAsync(FeedbackExportRequest request, List<FeedbackRecord> all, CancellationToken cancellationToken)
    {
        // prompt → response → scores, separately for ratings and thumbs.
        var ratings = new Dictionary<string, Dictionary<string, List<double>>>(StringComparer.Ordinal);
        var thumbs = new Dictionary<string, Dictionary<string, List<double>>>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var feedback in all)
        {
            if (string.IsNullOrWhiteSpace(feedback.Prompt) || string.IsNullOrWhiteSpace(feedback.Response))
            {
                continue;
            }

            Dictionary<string, Dictionary<string, List<double>>>? target = null;
            if (feedback.Name == request.RatingName && feedback.Value.Kind == FeedbackValueKind.Numeric)
            {
                target = ratings;
            }
            else if (feedback.Name == request.ThumbsName && feedback.Value.Kind == FeedbackValueKind.Boolean)
            {
                target = thumbs;
            }

            if (target is null)
            {
                continue;
            }

            if (!ratings.ContainsKey(feedback.Prompt) && !thumbs.ContainsKey(feedback.Prompt))
            {
                firstSeen.Add(feedback.Prompt);
            }

            if (!target.TryGetValue(feedback.Prompt, out var responses))
            {
                target[feedback.Prompt] = responses = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            }

            if (!responses.TryGetValue(feedback.Response, out var scores))
            {
                responses[feedback.Response] = scores = [];
            }

            scores.Add(feedback.Value.Number!.Value);
        }

        var records = new List<DataRecord>();
        foreach (var prompt in firstSeen)
        {
            var pair = BestPair(ratings.GetValueOrDefault(prompt), request.MinimumMargin, request.RatingName)
                ?? BestPair(thumbs.GetValueOrDefault(prompt), request.MinimumMargin, request.ThumbsName);
            if (pair is not { } p)
            {
                continue;
            }

            var record = DataRecord.CreatePreference("pref-" + Hash(prompt)[..16], prompt, p.Chosen, p.Rejected);
            record.Metadata["model.name"] = request.ModelName;
            record.Metadata["model.version"] = request.ModelVersion;
            record.Metadata["feedback.name"] = p.Name;
            record.Metadata["chosen.score"] = p.ChosenScore.ToString("G", CultureInfo.InvariantCulture);
            record.Metadata["rejected.score"] = p.RejectedScore.ToString("G", CultureInfo.InvariantCulture);
            records.Add(record);
        }

        if (records.Count == 0)
        {
            return (null, false);
        }

        var counts = new DatasetCounts { In = 0, Added = records.Count, Kept = records.Count };
        return await WriteAsync(request, request.PreferenceDatasetName, RecordKind.Preference, PreferenceStepId, records, [], counts, all.Count, cancellationToken).ConfigureAwait(false);
    }

    private static (string Chosen, string Rejected, double ChosenScore, double RejectedScore, string Name)? BestPair(Dictionary<string, List<double>>? responses, double margin, string name)
    {
        if (responses is null || responses.Count < 2)
        {
            return null;
        }

        string? best = null, worst = null;
        double bestScore = double.NegativeInfinity, worstScore = double.PositiveInfinity;
        foreach (var (response, scores) in responses)
        {
            var mean = scores.Average();
            if (mean > bestScore)
            {
                (best, bestScore) = (response, mean);
            }

            if (mean < worstScore)
            {
                (worst, worstScore) = (response, mean);
            }
        }

        return best is not null && worst is not null && !ReferenceEquals(best, worst) && bestScore - worstScore >= margin && bestScore > worstScore
            ? (best, worst, bestScore, worstScore, name)
            : null;
    }

    private async Task<(DatasetManifest?, bool)> WriteAsync(
        FeedbackExportRequest request,
        string datasetName,
        RecordKind kind,
        string stepId,
        List<DataRecord> records,
        List<RejectedRecord> rejects,
        DatasetCounts counts,
        int feedbackRead,
        CancellationToken cancellationToken)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["minimum_margin"] = request.MinimumMargin.ToString("G", CultureInfo.InvariantCulture),
            ["model.name"] = request.ModelName,
            ["model.version"] = request.ModelVersion,
            ["rating_name"] = request.RatingName,
            ["thumbs_name"] = request.ThumbsName,
        };
        var fingerprint = Fingerprint(stepId, parameters, records, rejects);
        var existing = await _datasets.FindAsync(datasetName, fingerprint, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return (existing, true);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "feedback",
            ["model.name"] = request.ModelName,
            ["model.version"] = request.ModelVersion,
            ["feedback.records"] = feedbackRead.ToString(CultureInfo.InvariantCulture),
        };
        if (request.From is { } from)
        {
            metadata["feedback.from"] = from.ToString("O", CultureInfo.InvariantCulture);
        }

        if (request.To is { } to)
        {
            metadata["feedback.to"] = to.ToString("O", CultureInfo.InvariantCulture);
        }

        var step = new DatasetStepInfo(stepId, 1, parameters)
        {
            In = counts.In,
            Out = counts.Kept,
            Rejected = counts.Rejected,
            Added = counts.Added,
            Deduplicated = counts.Deduplicated,
        };
        var versionRequest = new DatasetVersionRequest
        {
            Name = datasetName,
            Fingerprint = fingerprint,
            Kind = kind,
            Steps = [step],
            Parents = request.TrainingDataset is { } parent ? [parent] : [],
            Metadata = metadata,
        };
        var writer = await _datasets.BeginWriteAsync(versionRequest, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record, AllSplit, cancellationToken).ConfigureAwait(false);
            }

            foreach (var reject in rejects)
            {
                await writer.RejectAsync(reject, cancellationToken).ConfigureAwait(false);
            }

            return (await writer.CommitAsync(counts, cancellationToken: cancellationToken).ConfigureAwait(false), false);
        }
    }

    private static void AddLineage(DataRecord record, FeedbackRecord feedback)
    {
        record.Metadata["feedback.id"] = feedback.Id;
        record.Metadata["model.name"] = feedback.ModelName;
        record.Metadata["model.version"] = feedback.ModelVersion;
        if (feedback.TraceId is not null)
        {
            record.Metadata["trace.id"] = feedback.TraceId;
        }
    }

    private static string Fingerprint(string stepId, SortedDictionary<string, string> parameters, List<DataRecord> records, List<RejectedRecord> rejects)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Append(stepId);
        Append("1");
        foreach (var (key, value) in parameters)
        {
            Append(key);
            Append(value);
        }

        foreach (var record in records)
        {
            Append(record.Id);
            foreach (var field in record.Fields)
            {
                Append(field.Name);
                Append(field.Value);
            }
        }

        foreach (var reject in rejects)
        {
            Append(reject.RecordId ?? string.Empty);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Describe(FeedbackRecord feedback) => new JsonObject
    {
        ["id"] = feedback.Id,
        ["trace_id"] = feedback.TraceId,
        ["model_name"] = feedback.ModelName,
        ["model_version"] = feedback.ModelVersion,
        ["name"] = feedback.Name,
        ["value"] = feedback.Value.ToString(),
        ["correction"] = feedback.Correction,
        ["created_at"] = feedback.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();
}
