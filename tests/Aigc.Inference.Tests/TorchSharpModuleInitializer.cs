using System.Runtime.CompilerServices;
using Aigc.Training;

namespace Aigc.Inference.Tests;

internal static class TorchSharpModuleInitializer
{
    /// <summary>Tests export tiny models with TorchSharp: load its native library before any test touches <c>torch</c>.</summary>
    [ModuleInitializer]
    internal static void LoadTorchSharp() => TorchSharpRuntime.EnsureLoaded();
}
