using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Holds one layer's LoRA matrices by adapter name, registered as submodules so their parameters are named
/// <c>…lora_A.&lt;adapter&gt;.weight</c>. (TorchSharp's <c>ModuleDict</c> does not expose added modules'
/// parameters, so this small container registers each one itself.)
/// </summary>
internal sealed class LoraModuleSet : nn.Module
{
    private readonly Dictionary<string, Linear> _items = new(StringComparer.Ordinal);

    public LoraModuleSet()
        : base(nameof(LoraModuleSet))
    {
    }

    public Linear this[string name] => _items[name];

    public void Add(string name, Linear module)
    {
        register_module(name, module);
        _items.Add(name, module);
    }
}
