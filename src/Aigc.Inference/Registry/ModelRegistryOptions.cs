using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>
/// Settings of the model registry, bound from the configuration section <c>Aigc:Inference:Registry</c>. Without a
/// <see cref="ConnectionString"/> the registry is a SQLite file under <c>Aigc:RootPath</c> (zero set-up); with one it
/// is PostgreSQL, which several hosts can share.
/// </summary>
public sealed class ModelRegistryOptions : IValidatableObject
{
    /// <summary>The path of the section these options are bound from, below <c>Aigc</c>.</summary>
    public const string SectionName = "Inference:Registry";

    /// <summary>
    /// Gets or sets the PostgreSQL connection string (Npgsql syntax, for example
    /// <c>Host=db;Username=aigc;Password=…;Database=aigc</c>); when set, the registry is stored in PostgreSQL.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a SQLite file at <see cref="DatabasePath"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the PostgreSQL schema holding the registry's tables (created when missing).</summary>
    /// <value>The default value is <c>aigc_registry</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z_][a-z0-9_]{0,39}$", ErrorMessage = "'{0}' must be 1 to 40 lower-case letters, digits and '_', starting with a letter or '_'.")]
    public string Schema { get; set; } = "aigc_registry";

    /// <summary>Gets or sets the SQLite database file; a relative path is resolved against <c>Aigc:RootPath</c>.</summary>
    /// <value>The default value is <c>registry/registry.db</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = "registry/registry.db";

    /// <summary>
    /// Gets or sets the folder under which model files are kept by SHA-256 (<c>sha256/ab/cdef…</c>); a relative path is
    /// resolved against <c>Aigc:RootPath</c>. Hosts sharing a PostgreSQL registry must share this folder too.
    /// </summary>
    /// <value>The default value is <c>registry/artifacts</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string ArtifactsPath { get; set; } = "registry/artifacts";

    /// <summary>
    /// Gets or sets how often alias watchers look for changes they were not told about: changes by other processes on
    /// SQLite, and on PostgreSQL while the LISTEN connection is down (notifications make it immediate otherwise).
    /// </summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan AliasPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a SQLite write waits for another writer (also in another process) before it fails.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (value, member) in new[] { (DatabasePath, nameof(DatabasePath)), (ArtifactsPath, nameof(ArtifactsPath)) })
        {
            if (!string.IsNullOrEmpty(value) && value.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                yield return new ValidationResult($"The path '{value}' contains characters that are not allowed in a path.", [member]);
            }
        }

        if (ConnectionString is { Length: > 0 } && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("The connection string is only white space: remove it for SQLite, or give a PostgreSQL connection string.", [nameof(ConnectionString)]);
        }
    }

    /// <summary>Throws one exception listing every invalid setting.</summary>
    internal void ThrowIfInvalid(string parameterName)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                "The model registry options are not valid: " + string.Join(" ", results.Select(r => $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}")),
                parameterName);
        }
    }
}
