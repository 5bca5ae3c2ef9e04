namespace Aigc;

/// <summary>One page of a listing or search.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items on this page.</param>
/// <param name="NextPageToken">The token that asks for the next page, or <see langword="null"/> on the last page.</param>
public sealed record ModelPage<T>(IReadOnlyList<T> Items, string? NextPageToken);
