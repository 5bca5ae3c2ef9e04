using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Aigc.Training;

/// <summary>
/// Loads TorchSharp's native library before TorchSharp initialises. On Debian 12 (GCC 12's libstdc++)
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> fails to load because it asks for <c>GLIBCXX_3.4.32</c> for
/// one symbol it never calls (<c>std::ios_base_library_init()</c>). When the load fails for that reason, a copy
/// of the library whose requirement is weak (<c>VER_FLG_WEAK</c>) is made once, cached next to the original (or
/// under the user's cache folder when that is read-only), and loaded; TorchSharp then finds it by its soname.
/// </summary>
public static partial class TorchSharpRuntime
{
    /// <summary>The symbol version the stock library requires and Debian 12's libstdc++ lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string LibraryFile = "libLibTorchSharp.so";
    private const string PatchedFile = "libLibTorchSharp.glibcxx-weak.so";
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    private static readonly Lock Gate = new();
    private static string? _loadedFrom;

    /// <summary>Gets the path the native library was loaded from by <see cref="EnsureLoaded"/>, or <see langword="null"/> before.</summary>
    public static string? LoadedFrom => _loadedFrom;

    /// <summary>
    /// Makes sure TorchSharp's native library can load; call it before the first use of <c>TorchSharp.torch</c>
    /// (Aigc.Training's entry points call it for you). Does nothing on Windows and macOS, and nothing when the
    /// stock library loads.
    /// </summary>
    /// <exception cref="DllNotFoundException">
    /// The native library is missing (add the <c>TorchSharp-cpu</c> package to the application, or the CUDA
    /// package on a GPU host) or fails to load for another reason, given in the message.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (_loadedFrom is not null || !OperatingSystem.IsLinux())
        {
            return;
        }

        lock (Gate)
        {
            if (_loadedFrom is not null)
            {
                return;
            }

            var original = FindLibrary() ?? throw new DllNotFoundException(
                $"{LibraryFile} was not found next to the application. Reference the TorchSharp-cpu package (or the libtorch CUDA package of the same TorchSharp release on a GPU host) in the application project.");
            var error = TryOpen(original);
            if (error is null)
            {
                _loadedFrom = original;
                return;
            }

            if (!error.Contains(MissingVersion, StringComparison.Ordinal))
            {
                throw new DllNotFoundException($"{original} failed to load: {error}");
            }

            var patched = GetPatchedCopy(original);
            error = TryOpen(patched);
            if (error is not null)
            {
                throw new DllNotFoundException($"{patched} (a copy of {original} with the {MissingVersion} requirement made weak) failed to load: {error}");
            }

            _loadedFrom = patched;
        }
    }

    internal static string? FindLibrary()
    {
        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", LibraryFile),
            Path.Combine(baseDirectory, LibraryFile),
            Path.Combine(baseDirectory, "cpu", LibraryFile),
        ];
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && File.Exists(Path.Combine(Path.GetDirectoryName(candidate)!, "libtorch.so")))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static string GetPatchedCopy(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var key = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        if (ElfVersionPatcher.MakeVersionRequirementWeak(bytes, MissingVersion) == 0)
        {
            throw new DllNotFoundException($"{original} needs {MissingVersion} but has no such requirement to make weak.");
        }

        var directory = Path.GetDirectoryName(original)!;
        var local = Path.Combine(directory, PatchedFile);
        if (TryWrite(local, bytes))
        {
            return local;
        }

        // The application folder is read-only: cache under the user's folder and load the dependencies from the
        // original folder first, so the copy's DT_NEEDED entries resolve to them by soname.
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "aigc", "torchsharp", key);
        Directory.CreateDirectory(cache);
        var cached = Path.Combine(cache, PatchedFile);
        if (!TryWrite(cached, bytes))
        {
            throw new DllNotFoundException($"Could not write a patched copy of {original} to {directory} or {cache}.");
        }

        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(directory, dependency);
            if (File.Exists(path) && TryOpen(path) is { } dependencyError)
            {
                throw new DllNotFoundException($"{path} failed to load: {dependencyError}");
            }
        }

        return cached;
    }

    private static bool TryWrite(string path, byte[] bytes)
    {
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return true;
            }

            var temp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? TryOpen(string path)
    {
        // Bind dlerror before dlopen runs: binding a P/Invoke calls dlsym, which would clear dlopen's error.
        _ = DlError();
        var handle = DlOpen(path, RtldNow | RtldGlobal);
        if (handle != IntPtr.Zero)
        {
            return null;
        }

        var message = DlError();
        return message == IntPtr.Zero ? "unknown error" : Marshal.PtrToStringUTF8(message);
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string fileName, int flags);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();
}
