namespace Aigc.Data;

/// <summary>The messages of one row group's <c>list&lt;struct&lt;role, content&gt;&gt;</c> column, flattened.</summary>
internal sealed class MessageLists
{
    private readonly List<bool> _elementIsNull = [];
    private readonly List<string?> _roles = [];
    private readonly List<string?> _contents = [];

    /// <summary>Initializes storage for a row group.</summary>
    /// <param name="rows">The row count.</param>
    public MessageLists(int rows)
    {
        Start = new int[rows + 1];
        IsNull = new bool[rows];
    }

    /// <summary>Gets the index of each row's first message; entry <c>rows</c> is the total.</summary>
    public int[] Start { get; }

    /// <summary>Gets whether each row's list is null (rather than empty or filled).</summary>
    public bool[] IsNull { get; }

    /// <summary>Gets how many messages were added.</summary>
    public int Count => _roles.Count;

    /// <summary>Gets how many contents were added.</summary>
    public int ContentCount => _contents.Count;

    /// <summary>Gets whether a message element is null.</summary>
    /// <param name="index">The message index.</param>
    /// <returns>Whether the element is null.</returns>
    public bool ElementIsNull(int index) => _elementIsNull[index];

    /// <summary>Gets a message's role.</summary>
    /// <param name="index">The message index.</param>
    /// <returns>The role, or <see langword="null"/>.</returns>
    public string? Role(int index) => _roles[index];

    /// <summary>Gets a message's content.</summary>
    /// <param name="index">The message index.</param>
    /// <returns>The content, or <see langword="null"/>.</returns>
    public string? Content(int index) => _contents[index];

    /// <summary>Adds a message from the role leaf.</summary>
    /// <param name="elementIsNull">Whether the element is null.</param>
    /// <param name="role">The role.</param>
    public void Add(bool elementIsNull, string? role)
    {
        _elementIsNull.Add(elementIsNull);
        _roles.Add(role);
    }

    /// <summary>Adds the content of the next message from the content leaf.</summary>
    /// <param name="content">The content.</param>
    public void AddContent(string? content) => _contents.Add(content);
}
