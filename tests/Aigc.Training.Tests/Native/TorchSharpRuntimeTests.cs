using System.Buffers.Binary;
using TorchSharp;

namespace Aigc.Training.Tests.Native;

public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void TorchSharp_computes_after_EnsureLoaded()
    {
        TorchSharpRuntime.EnsureLoaded();

        using var a = torch.ones(2, 3);
        using var b = torch.arange(6, dtype: torch.float32).reshape(3, 2);
        using var product = a.matmul(b);

        Assert.Equal(new float[] { 6, 9, 6, 9 }, product.data<float>().ToArray());
        Assert.NotNull(TorchSharpRuntime.LoadedFrom);
        Assert.True(File.Exists(TorchSharpRuntime.LoadedFrom));
    }

    [Fact]
    public void The_patch_sets_only_the_weak_flag_of_the_missing_version()
    {
        var original = TorchSharpRuntime.FindLibrary();
        Assert.NotNull(original);
        var bytes = File.ReadAllBytes(original);
        var copy = (byte[])bytes.Clone();

        var changed = ElfVersionPatcher.MakeVersionRequirementWeak(copy, TorchSharpRuntime.MissingVersion);

        Assert.Equal(1, changed);
        var differences = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != copy[i]).ToList();
        var offset = Assert.Single(differences);
        Assert.Equal(0x2, (copy[offset] ^ bytes[offset]) & 0xff);
        Assert.Equal(0, ElfVersionPatcher.MakeVersionRequirementWeak(copy, TorchSharpRuntime.MissingVersion));
        Assert.Equal(0, ElfVersionPatcher.MakeVersionRequirementWeak(copy, "GLIBCXX_99.9"));
    }

    [Fact]
    public void Non_ELF_input_is_refused_with_a_typed_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MakeVersionRequirementWeak(new byte[128], "X"));
        Assert.Contains("Not an ELF file", error.Message, StringComparison.Ordinal);
        var elf32 = new byte[128];
        elf32[0] = 0x7f;
        elf32[1] = (byte)'E';
        elf32[2] = (byte)'L';
        elf32[3] = (byte)'F';
        elf32[4] = 1;
        elf32[5] = 1;
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MakeVersionRequirementWeak(elf32, "X"));
        _ = BinaryPrimitives.ReadUInt16LittleEndian(elf32);
    }
}
