namespace Aigc;

/// <summary>The schema of a <see cref="DataRecord"/>, after the fields of a source were mapped to it.</summary>
public enum RecordKind
{
    /// <summary>Plain text: one field named <c>text</c>.</summary>
    Text = 0,

    /// <summary>Alpaca instruction tuning: fields <c>instruction</c>, <c>input</c> (may be empty) and <c>output</c>.</summary>
    Instruction = 1,

    /// <summary>
    /// A conversation in the OpenAI <c>messages[{role,content}]</c> form: one field per message, named by its role
    /// (<c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>), in order. ShareGPT conversations convert to it.
    /// </summary>
    Chat = 2,

    /// <summary>A preference pair: fields <c>prompt</c>, <c>chosen</c> and <c>rejected</c>.</summary>
    Preference = 3,

    /// <summary>An image and its caption: <see cref="DataRecord.ImagePath"/> and one field named <c>caption</c>.</summary>
    ImageCaption = 4,
}
