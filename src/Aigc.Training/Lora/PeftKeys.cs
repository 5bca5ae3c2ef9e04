namespace Aigc.Training;

/// <summary>PEFT's key conventions for saved adapters.</summary>
internal static class PeftKeys
{
    /// <summary>The prefix PEFT puts before the base model's parameter paths.</summary>
    public const string Prefix = "base_model.model.";

    /// <summary>Brings a key to the form PEFT saves: with the prefix, without an adapter name after lora_A/lora_B.</summary>
    public static string Normalize(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            key = Prefix + key;
        }

        foreach (var part in new[] { ".lora_A.", ".lora_B." })
        {
            var index = key.IndexOf(part, StringComparison.Ordinal);
            if (index >= 0 && !key.AsSpan(index + part.Length).SequenceEqual("weight"))
            {
                var rest = key[(index + part.Length)..];
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0)
                {
                    key = key[..(index + part.Length)] + rest[(dot + 1)..];
                }
            }
        }

        return key;
    }
}
