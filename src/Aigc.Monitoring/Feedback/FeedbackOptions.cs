using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>Settings of the feedback services, bound from <c>Aigc:Monitoring:Feedback</c>.</summary>
public sealed class FeedbackOptions : IValidatableObject
{
    /// <summary>The name of the configuration section, below <c>Aigc</c>.</summary>
    public const string SectionName = "Monitoring:Feedback";

    /// <summary>
    /// Gets or sets the salt of <see cref="UserKeyHasher"/>: a secret of at least 16 characters, the same on every
    /// host, kept out of source control. Without it, user keys cannot be hashed.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [MinLength(16)]
    public string? UserKeySalt { get; set; }

    /// <summary>Gets or sets which store <c>AddFeedbackStore</c> registers.</summary>
    /// <value>The default value is <see cref="FeedbackStoreKind.Sqlite"/>.</value>
    public FeedbackStoreKind Store { get; set; } = FeedbackStoreKind.Sqlite;

    /// <summary>Gets or sets the SQLite database file of the default store.</summary>
    /// <value>The default value is <c>aigc-feedback.db</c> (in the working directory).</value>
    public string SqlitePath { get; set; } = "aigc-feedback.db";

    /// <summary>Gets or sets the PostgreSQL connection string (for <see cref="FeedbackStoreKind.Postgres"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Gets or sets the PostgreSQL schema of the feedback table (created when missing).</summary>
    /// <value>The default value is <c>aigc</c>.</value>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string PostgresSchema { get; set; } = "aigc";

    /// <summary>Checks the settings that depend on each other: the PostgreSQL store needs a connection string.</summary>
    /// <param name="validationContext">The validation context.</param>
    /// <returns>The errors found.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store == FeedbackStoreKind.Postgres && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult("Store is Postgres but PostgresConnectionString is not set.", [nameof(PostgresConnectionString)]);
        }
        else if (Store == FeedbackStoreKind.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
        {
            yield return new ValidationResult("Store is Sqlite but SqlitePath is empty.", [nameof(SqlitePath)]);
        }
    }
}
