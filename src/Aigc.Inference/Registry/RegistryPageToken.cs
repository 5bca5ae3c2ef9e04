using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Aigc.Inference;

/// <summary>Opaque keyset page tokens: the sort key of the last item on the page.</summary>
internal static class RegistryPageToken
{
    private const string ModelPrefix = "m1:";
    private const string VersionPrefix = "v1:";

    public static string ForModel(string lastName) => Encode(ModelPrefix + lastName);

    public static string ForVersion(long lastId) => Encode(VersionPrefix + lastId.ToString(CultureInfo.InvariantCulture));

    public static string? ReadModel(string? token) => token is null ? null : Decode(token, ModelPrefix);

    public static long? ReadVersion(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var text = Decode(token, VersionPrefix);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw Invalid(nameof(ModelVersionQuery.PageToken));
    }

    public static void CheckPageSize(int pageSize, string parameterName)
    {
        if (pageSize is < 1 or > ModelQuery.MaxPageSize)
        {
            throw new ArgumentException($"The page size {pageSize} is out of range: use 1 to {ModelQuery.MaxPageSize}.", parameterName);
        }
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Decode(string token, string prefix)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException exception)
        {
            throw new ArgumentException(InvalidMessage, nameof(ModelQuery.PageToken), exception);
        }

        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw Invalid(nameof(ModelQuery.PageToken));
    }

    private const string InvalidMessage =
        "The page token is not one this registry issued for this kind of listing: pass the NextPageToken of the previous page unchanged.";

    private static ArgumentException Invalid(string parameterName) => new(InvalidMessage, parameterName);
}
