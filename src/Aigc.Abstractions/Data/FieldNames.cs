namespace Aigc;

/// <summary>The canonical field names of the record kinds (see <see cref="RecordKind"/>).</summary>
public static class FieldNames
{
    /// <summary>The text of a <see cref="RecordKind.Text"/> record.</summary>
    public const string Text = "text";

    /// <summary>The instruction of a <see cref="RecordKind.Instruction"/> record.</summary>
    public const string Instruction = "instruction";

    /// <summary>The optional input of a <see cref="RecordKind.Instruction"/> record.</summary>
    public const string Input = "input";

    /// <summary>The expected output of a <see cref="RecordKind.Instruction"/> record.</summary>
    public const string Output = "output";

    /// <summary>The prompt of a <see cref="RecordKind.Preference"/> record.</summary>
    public const string Prompt = "prompt";

    /// <summary>The preferred answer of a <see cref="RecordKind.Preference"/> record.</summary>
    public const string Chosen = "chosen";

    /// <summary>The dispreferred answer of a <see cref="RecordKind.Preference"/> record.</summary>
    public const string Rejected = "rejected";

    /// <summary>The caption of a <see cref="RecordKind.ImageCaption"/> record.</summary>
    public const string Caption = "caption";

    /// <summary>The system role of a chat message.</summary>
    public const string System = "system";

    /// <summary>The user role of a chat message.</summary>
    public const string User = "user";

    /// <summary>The assistant role of a chat message.</summary>
    public const string Assistant = "assistant";

    /// <summary>The tool role of a chat message.</summary>
    public const string Tool = "tool";
}
