namespace Aigc.Monitoring;

/// <summary>The feedback store implementations.</summary>
public enum FeedbackStoreKind
{
    /// <summary><see cref="SqliteFeedbackStore"/>: one embedded database file, no set-up (the default).</summary>
    Sqlite = 0,

    /// <summary><see cref="PostgresFeedbackStore"/>: a PostgreSQL database several hosts can share.</summary>
    Postgres = 1,
}
