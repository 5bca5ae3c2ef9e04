namespace Aigc.Monitoring;

/// <summary>
/// One piece of feedback on one model response, shaped like a Langfuse score: who or what judged which response of
/// which model version, with what value.
/// </summary>
/// <remarks>
/// <see cref="Id"/> is also the idempotency key: storing a record whose id is already stored does nothing, so
/// clients can retry freely. Store user identities only as <see cref="UserKeyHash"/> (see <see cref="UserKeyHasher"/>).
/// Stores keep <see cref="CreatedAt"/> to the microsecond, in UTC.
/// </remarks>
public sealed record FeedbackRecord
{
    /// <summary>The longest accepted <see cref="Id"/>, in characters.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Gets the feedback's identifier, unique and used as the idempotency key (at most 200 characters).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the request or trace id of the exchange the feedback is about.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the name of the model that produced the response.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the version of that model.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Gets the feedback's name, for example <see cref="FeedbackNames.Thumbs"/> or <see cref="FeedbackNames.Rating"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the value.</summary>
    public required FeedbackValue Value { get; init; }

    /// <summary>Gets a free-text comment.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets the answer the user says would have been right, when they gave one.</summary>
    public string? Correction { get; init; }

    /// <summary>Gets the prompt of the exchange, when the application stores it with the feedback (needed to export datasets).</summary>
    public string? Prompt { get; init; }

    /// <summary>Gets the model's response, when the application stores it with the feedback (needed to export datasets).</summary>
    public string? Response { get; init; }

    /// <summary>Gets the salted SHA-256 of the user's key (lowercase hex), never the key itself.</summary>
    public string? UserKeyHash { get; init; }

    /// <summary>Gets when the feedback was given.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets where the feedback came from.</summary>
    public FeedbackSource Source { get; init; } = FeedbackSource.Api;

    /// <summary>Checks the record before it is stored.</summary>
    /// <exception cref="ArgumentException">A required text is empty, the id is too long, or a value is of an unknown kind or source.</exception>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Id, nameof(Id));
        ArgumentException.ThrowIfNullOrEmpty(ModelName, nameof(ModelName));
        ArgumentException.ThrowIfNullOrEmpty(ModelVersion, nameof(ModelVersion));
        ArgumentException.ThrowIfNullOrEmpty(Name, nameof(Name));
        if (Id.Length > MaxIdLength)
        {
            throw new ArgumentException($"A feedback id has at most {MaxIdLength} characters; '{Id[..20]}…' has {Id.Length}.", nameof(Id));
        }

        if (!Enum.IsDefined(Source) || !Enum.IsDefined(Value.Kind) || (Value.Kind != FeedbackValueKind.Categorical && Value.Number is null))
        {
            throw new ArgumentException($"Feedback '{Id}' has no valid value or source; create values with FeedbackValue.Numeric, Categorical or Boolean.", nameof(Value));
        }
    }
}
