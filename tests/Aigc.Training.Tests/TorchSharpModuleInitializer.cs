using System.Runtime.CompilerServices;

namespace Aigc.Training.Tests;

internal static class TorchSharpModuleInitializer
{
    /// <summary>
    /// Tests touch <c>torch</c> directly (seeds, tensors): load the native library first, since a failed
    /// TorchSharp static initialisation cannot be retried in the process.
    /// </summary>
    [ModuleInitializer]
    internal static void LoadTorchSharp() => TorchSharpRuntime.EnsureLoaded();
}
