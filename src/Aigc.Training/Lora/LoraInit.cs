namespace Aigc.Training;

/// <summary>How LoRA's A and B matrices start (PEFT's <c>init_lora_weights</c>).</summary>
public enum LoraInit
{
    /// <summary>A ~ Kaiming-uniform with a = √5 (as <c>nn.Linear</c>), B = 0, so the adapter starts as a no-op (PEFT's <c>true</c>).</summary>
    KaimingUniform = 0,

    /// <summary>A ~ N(0, 1/r), B = 0 (PEFT's <c>"gaussian"</c>).</summary>
    Gaussian = 1,
}
