namespace Aigc.WebApi.OpenAi;

/// <summary>A request the host refuses, answered with an OpenAI-style error body and status code.</summary>
internal sealed class OpenAiException : Exception
{
    public OpenAiException()
    {
    }

    public OpenAiException(string message)
        : base(message)
    {
    }

    public OpenAiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes an error for a field of the request.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="param">The request field at fault, or <see langword="null"/>.</param>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="code">OpenAI's machine-readable code, or <see langword="null"/>.</param>
    /// <param name="type">OpenAI's error type.</param>
    public OpenAiException(int statusCode, string? param, string message, string? code = null, string type = "invalid_request_error")
        : base(message)
    {
        StatusCode = statusCode;
        Param = param;
        Code = code;
        Type = type;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public int StatusCode { get; } = StatusCodes.Status400BadRequest;

    /// <summary>Gets the request field at fault.</summary>
    public string? Param { get; }

    /// <summary>Gets the machine-readable code.</summary>
    public string? Code { get; }

    /// <summary>Gets the error type.</summary>
    public string Type { get; } = "invalid_request_error";

    /// <summary>Creates a 400 for an invalid field.</summary>
    public static OpenAiException BadField(string param, string message) => new(StatusCodes.Status400BadRequest, param, message);

    /// <summary>Returns the body to send.</summary>
    public OpenAiError ToError() => new(new OpenAiErrorDetail(Message, Type, Param, Code));
}
