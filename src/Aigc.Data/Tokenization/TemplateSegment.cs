namespace Aigc.Data;

/// <summary>
/// One piece of a record rendered by a <see cref="ChatTemplate"/>: its text, whether the loss is computed on its
/// tokens, and whether the text came from the record (content) or from the template (role markers, prompts).
/// </summary>
/// <param name="Text">The text.</param>
/// <param name="Trainable">Whether the tokens of this text are trained (their labels are their ids) rather than masked.</param>
/// <param name="IsContent">Whether the text came from the record rather than from the template.</param>
public readonly record struct TemplateSegment(string Text, bool Trainable, bool IsContent);
