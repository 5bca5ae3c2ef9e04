using System.Security.Cryptography;

namespace Aigc.Inference.Tests.Registry;

/// <summary>A temporary folder for one test, deleted afterwards, with helpers that write model-like files.</summary>
public sealed class RegistryTestFiles : IDisposable
{
    public RegistryTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "aigc-registry-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Writes a PEFT-style adapter folder whose weights are <paramref name="size"/> pseudo-random bytes from <paramref name="seed"/>.</summary>
    public string WriteAdapter(string name, int seed, int size = 4096)
    {
        var folder = PathOf("sources", name);
        Directory.CreateDirectory(Path.Combine(folder, "tokenizer"));
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), $$"""{"peft_type":"LORA","r":8,"seed":{{seed}}}""");
        File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), Bytes(seed, size));
        File.WriteAllText(Path.Combine(folder, "tokenizer", "vocab.json"), """{"a":0}""");
        return folder;
    }

    /// <summary>Writes one file (a merged ONNX model stand-in) and returns its path.</summary>
    public string WriteFile(string name, int seed, int size = 2048)
    {
        var path = PathOf("sources", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes(seed, size));
        return path;
    }

    public static byte[] Bytes(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp folder is cleaned by the OS later.
        }
    }
}
