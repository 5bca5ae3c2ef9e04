using System.Buffers.Binary;
using System.Text;

namespace Aigc.Training;

/// <summary>
/// Edits an ELF64 little-endian shared library so that one symbol-version requirement becomes weak: the
/// <c>VER_FLG_WEAK</c> (0x2) flag is set in <c>vna_flags</c> of the matching <c>Elf64_Vernaux</c> entry of
/// <c>.gnu.version_r</c>. The dynamic loader then loads the library although the required version is missing.
/// </summary>
internal static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Sets the weak flag on every requirement of <paramref name="versionName"/>; returns how many entries changed.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ELF64 little-endian file with a version-needed section.</exception>
    public static int MakeVersionRequirementWeak(Span<byte> elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("Not an ELF file.");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        }

        var sectionHeaderOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var target = Encoding.ASCII.GetBytes(versionName);
        var changed = 0;
        var found = false;
        for (var i = 0; i < sectionCount; i++)
        {
            var header = elf.Slice(sectionHeaderOffset + (i * sectionHeaderSize), sectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            found = true;
            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var link = BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var stringsHeader = elf.Slice(sectionHeaderOffset + (checked((int)link) * sectionHeaderSize), sectionHeaderSize);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]));

            var need = offset;
            while (true)
            {
                var count = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var aux = need + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]));
                for (var j = 0; j < count; j++)
                {
                    var nameOffset = strings + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                    var name = elf[nameOffset..];
                    name = name[..name.IndexOf((byte)0)];
                    if (name.SequenceEqual(target))
                    {
                        var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(elf[(aux + 4)..], (ushort)(flags | VerFlagWeak));
                            changed++;
                        }
                    }

                    var nextAux = BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += checked((int)nextAux);
                }

                var next = BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
                if (next == 0)
                {
                    break;
                }

                need += checked((int)next);
            }
        }

        return found ? changed : throw new InvalidDataException("The ELF file has no .gnu.version_r section.");
    }
}
