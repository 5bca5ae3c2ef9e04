using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Aigc;

/// <summary>
/// Parses and validates a safetensors JSON header: a UTF-8 object starting with <c>{</c>, padded only with spaces;
/// tensor entries with exactly <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>; an optional <c>__metadata__</c>
/// map of strings; no duplicate keys; checked element and byte counts; and offsets that cover the data buffer
/// exactly, with no hole and no overlap. Everything it allocates is bounded by the header's own size.
/// </summary>
internal static class SafeTensorsHeaderParser
{
    private const string MetadataKey = "__metadata__";

    private static readonly JsonReaderOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Parses and validates a header.</summary>
    /// <param name="json">The header bytes (the size field's value many), padding included.</param>
    /// <param name="fileLength">The length of the whole file, for the coverage check.</param>
    /// <param name="filePath">The file path for messages, or <see langword="null"/>.</param>
    /// <returns>The validated header.</returns>
    /// <exception cref="SafeTensorsFormatException">The header breaks a rule of the format.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long fileLength, string? filePath)
    {
        long dataStart = SafeTensorsHeader.SizeFieldLength + json.Length;
        long dataLength = fileLength - dataStart;
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            throw Error(filePath, null, json.IsEmpty
                ? "the header is empty; it must be a JSON object starting with '{'"
                : $"the header must be a JSON object starting with '{{' but starts with byte 0x{json[0]:X2}");
        }

        if (!Utf8.IsValid(json))
        {
            throw Error(filePath, null, "the header is not valid UTF-8");
        }

        var state = new ParseState(filePath);
        var reader = new Utf8JsonReader(json, s_options);
        try
        {
            Next(ref reader, state); // the root '{'
            while (true)
            {
                Next(ref reader, state);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var key = GetString(ref reader);
                if (key == MetadataKey)
                {
                    if (state.SawMetadata)
                    {
                        throw Error(filePath, null, "the header has the key '__metadata__' twice; duplicate keys are not allowed");
                    }

                    state.SawMetadata = true;
                    state.Metadata = ParseMetadata(ref reader, state);
                }
                else
                {
                    if (state.ByName.ContainsKey(key))
                    {
                        throw Error(filePath, key, "the header has this key twice; duplicate keys are not allowed");
                    }

                    var info = ParseTensor(ref reader, state, key);
                    state.ByName.Add(key, info);
                    state.Tensors.Add(info);
                }
            }
        }
        catch (JsonException ex)
        {
            throw Error(filePath, state.CurrentTensor, $"the header is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader unescapes strings lazily (GetString, ValueTextEquals) and throws this for escapes that
            // are not valid text, such as an unpaired surrogate "\ud800".
            throw Error(filePath, state.CurrentTensor, $"the header has a string that is not valid text: {ex.Message}", ex);
        }

        var padding = json[(int)reader.BytesConsumed..];
        var bad = padding.IndexOfAnyExcept((byte)' ');
        if (bad >= 0)
        {
            throw Error(filePath, null, string.Create(CultureInfo.InvariantCulture,
                $"byte 0x{padding[bad]:X2} at header offset {reader.BytesConsumed + bad} follows the JSON object; only spaces (0x20) may pad the header"));
        }

        var ordered = state.Tensors.ToArray();
        CheckCoverage(ordered, dataStart, dataLength, filePath);
        return new SafeTensorsHeader(ordered, state.ByName, state.Metadata, json.Length, dataLength);
    }

    private static SafeTensorInfo ParseTensor(ref Utf8JsonReader reader, ParseState state, string name)
    {
        state.CurrentTensor = name;
        Next(ref reader, state);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(state.FilePath, name, $"the entry must be an object with dtype, shape and data_offsets, not {Describe(reader.TokenType)}");
        }

        SafeTensorsDType? dtype = null;
        long[]? shape = null;
        long begin = -1, end = -1;
        while (true)
        {
            Next(ref reader, state);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("dtype"u8))
            {
                if (dtype is not null)
                {
                    throw Error(state.FilePath, name, "the entry has 'dtype' twice");
                }

                dtype = ParseDType(ref reader, state, name);
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                if (shape is not null)
                {
                    throw Error(state.FilePath, name, "the entry has 'shape' twice");
                }

                shape = ParseShape(ref reader, state, name);
            }
            else if (reader.ValueTextEquals("data_offsets"u8))
            {
                if (begin >= 0)
                {
                    throw Error(state.FilePath, name, "the entry has 'data_offsets' twice");
                }

                (begin, end) = ParseOffsets(ref reader, state, name);
            }
            else
            {
                var field = GetString(ref reader);
                throw Error(state.FilePath, name, $"unknown field {SafeTensorsText.Quote(field)}; an entry has only dtype, shape and data_offsets");
            }
        }

        if (dtype is null || shape is null || begin < 0)
        {
            var missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Error(state.FilePath, name, $"the entry has no '{missing}'");
        }

        if (end < begin)
        {
            throw Error(state.FilePath, name, $"data_offsets {SafeTensorsText.Offsets(begin, end)} end before they begin");
        }

        long count = 1;
        long bytes;
        try
        {
            foreach (var dim in shape)
            {
                count = checked(count * dim);
            }

            bytes = checked(count * dtype.Value.GetElementSize());
        }
        catch (OverflowException ex)
        {
            throw Error(state.FilePath, name, $"shape {SafeTensorsText.Shape(shape)} of {dtype.Value.GetName()} needs more bytes than a 64-bit size can count", ex);
        }

        if (end - begin != bytes)
        {
            throw Error(state.FilePath, name, string.Create(CultureInfo.InvariantCulture,
                $"data_offsets {SafeTensorsText.Offsets(begin, end)} span {end - begin} bytes but shape {SafeTensorsText.Shape(shape)} of {dtype.Value.GetName()} needs {bytes}"));
        }

        state.CurrentTensor = null;
        return new SafeTensorInfo(name, dtype.Value, shape, begin, end, count, state.Tensors.Count);
    }

    private static SafeTensorsDType ParseDType(ref Utf8JsonReader reader, ParseState state, string name)
    {
        Next(ref reader, state);
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(state.FilePath, name, $"'dtype' must be a string, not {Describe(reader.TokenType)}");
        }

        if (!reader.ValueIsEscaped && SafeTensorsDTypeNames.TryParse(reader.ValueSpan, out var dtype))
        {
            return dtype;
        }

        var text = GetString(ref reader);
        if (SafeTensorsDTypeExtensions.TryParse(text, out dtype))
        {
            return dtype;
        }

        throw Error(state.FilePath, name, SafeTensorsDTypeNames.IsSubByte(text)
            ? $"dtype '{text}' is a sub-byte type, which this library does not read"
            : $"unknown dtype {SafeTensorsText.Quote(text)}; expected one of BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64");
    }

    private static long[] ParseShape(ref Utf8JsonReader reader, ParseState state, string name)
    {
        Next(ref reader, state);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(state.FilePath, name, $"'shape' must be an array of non-negative integers, not {Describe(reader.TokenType)}");
        }

        // Two passes over the array (the reader is a struct, so a copy is a checkpoint): count, then fill an
        // array of exactly that size, so a hostile shape never makes a growing buffer.
        var checkpoint = reader;
        var rank = 0;
        while (true)
        {
            Next(ref reader, state);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            ReadNonNegative(ref reader, state, name, "a 'shape' dimension");
            rank++;
        }

        if (rank == 0)
        {
            return [];
        }

        reader = checkpoint;
        var dims = new long[rank];
        for (var i = 0; i < dims.Length; i++)
        {
            Next(ref reader, state);
            dims[i] = ReadNonNegative(ref reader, state, name, "a 'shape' dimension");
        }

        Next(ref reader, state);
        return dims;
    }

    private static (long Begin, long End) ParseOffsets(ref Utf8JsonReader reader, ParseState state, string name)
    {
        const string Expected = "'data_offsets' must be an array of two non-negative integers [begin, end]";
        Next(ref reader, state);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(state.FilePath, name, $"{Expected}, not {Describe(reader.TokenType)}");
        }

        Next(ref reader, state);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            throw Error(state.FilePath, name, $"{Expected}, not an empty array");
        }

        var begin = ReadNonNegative(ref reader, state, name, "a 'data_offsets' value");
        Next(ref reader, state);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            throw Error(state.FilePath, name, $"{Expected}, not one value");
        }

        var end = ReadNonNegative(ref reader, state, name, "a 'data_offsets' value");
        Next(ref reader, state);
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw Error(state.FilePath, name, $"{Expected}, not more than two values");
        }

        return (begin, end);
    }

    private static long ReadNonNegative(ref Utf8JsonReader reader, ParseState state, string name, string what)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Error(state.FilePath, name, $"{what} must be a non-negative integer, not {Describe(reader.TokenType)}");
        }

        var span = reader.ValueSpan;
        if (span.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            throw Error(state.FilePath, name, $"{what} must be a non-negative integer, not {SafeTensorsText.Quote(span)}");
        }

        if (!reader.TryGetUInt64(out var value) || value > long.MaxValue)
        {
            throw Error(state.FilePath, name, $"{what} {SafeTensorsText.Quote(span)} is larger than 2^63 - 1");
        }

        return (long)value;
    }

    private static Dictionary<string, string>? ParseMetadata(ref Utf8JsonReader reader, ParseState state)
    {
        Next(ref reader, state);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(state.FilePath, null, $"'__metadata__' must be an object of string values, not {Describe(reader.TokenType)}");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref reader, state);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return metadata;
            }

            var key = GetString(ref reader);
            Next(ref reader, state);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(state.FilePath, null, $"'__metadata__' value of {SafeTensorsText.Quote(key)} must be a string, not {Describe(reader.TokenType)}");
            }

            if (!metadata.TryAdd(key, GetString(ref reader)))
            {
                throw Error(state.FilePath, null, $"'__metadata__' has the key {SafeTensorsText.Quote(key)} twice; duplicate keys are not allowed");
            }
        }
    }

    private static void CheckCoverage(SafeTensorInfo[] tensors, long dataStart, long dataLength, string? filePath)
    {
        Array.Sort(tensors, static (a, b) =>
        {
            var c = a.DataBegin.CompareTo(b.DataBegin);
            if (c == 0)
            {
                c = a.DataEnd.CompareTo(b.DataEnd);
            }

            return c != 0 ? c : a.HeaderIndex.CompareTo(b.HeaderIndex);
        });

        long covered = 0;
        SafeTensorInfo? previous = null;
        foreach (var t in tensors)
        {
            var offsets = SafeTensorsText.Offsets(t.DataBegin, t.DataEnd);
            if (t.DataBegin != covered)
            {
                var rule = previous is null
                    ? $"data_offsets {offsets} leave a hole of {t.DataBegin} bytes at the start of the data buffer; the first tensor must begin at 0"
                    : t.DataBegin > covered
                        ? $"data_offsets {offsets} leave a hole of {t.DataBegin - covered} bytes after tensor {SafeTensorsText.Quote(previous.Name)}, which ends at {covered}"
                        : $"data_offsets {offsets} overlap tensor {SafeTensorsText.Quote(previous.Name)}, which ends at {covered}";
                throw Error(filePath, t.Name, rule);
            }

            if (t.DataEnd > dataLength)
            {
                throw Error(filePath, t.Name, string.Create(CultureInfo.InvariantCulture,
                    $"data_offsets {offsets} end past the data buffer, which holds {dataLength} bytes (file length {dataStart + dataLength} - data start {dataStart})"));
            }

            covered = t.DataEnd;
            previous = t;
        }

        if (covered != dataLength)
        {
            throw Error(filePath, null, string.Create(CultureInfo.InvariantCulture,
                $"the tensors cover {covered} bytes but the data buffer holds {dataLength} (file length {dataStart + dataLength} - data start {dataStart}); the buffer must be covered exactly, with no trailing bytes"));
        }
    }

    private static void Next(ref Utf8JsonReader reader, ParseState state)
    {
        if (!reader.Read())
        {
            throw Error(state.FilePath, state.CurrentTensor, "the header ends inside the JSON object");
        }
    }

    private static string GetString(ref Utf8JsonReader reader) => reader.GetString()!;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static SafeTensorsFormatException Error(string? filePath, string? tensor, string rule, Exception? inner = null) =>
        new(filePath, tensor, rule, inner);

    private sealed class ParseState(string? filePath)
    {
        public string? FilePath { get; } = filePath;

        public List<SafeTensorInfo> Tensors { get; } = [];

        public Dictionary<string, SafeTensorInfo> ByName { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string>? Metadata { get; set; }

        public bool SawMetadata { get; set; }

        public string? CurrentTensor { get; set; }
    }
}
