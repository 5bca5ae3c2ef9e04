using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aigc.Training;

/// <summary>
/// Loads TorchSharp's native library when the host starts: it runs with the start-up validation of
/// <see cref="TrainingOptions"/> (<c>ValidateOnStart</c>), so the Debian fix of <see cref="TorchSharpRuntime"/> is in
/// place before anything touches TorchSharp. (The package takes no hosting dependency for an <c>IHostedService</c>.)
/// </summary>
/// <remarks>
/// A host that registers the training services without a native TorchSharp package still starts (it may use only
/// the options or the data loader): the failure is logged as a warning here, and
/// <see cref="CausalLmTrainerFactory"/> throws it when a trainer is first asked for.
/// </remarks>
internal sealed partial class TorchSharpStartupCheck(ILoggerFactory? loggerFactory) : IValidateOptions<TrainingOptions>
{
    private readonly ILogger _logger = loggerFactory?.CreateLogger<TorchSharpStartupCheck>() ?? NullLogger<TorchSharpStartupCheck>.Instance;
    private int _reported;

    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        try
        {
            TorchSharpRuntime.EnsureLoaded();
        }
        catch (Exception e) when (e is DllNotFoundException or IOException or UnauthorizedAccessException)
        {
            // Options are validated once per cache (IOptions, IOptionsMonitor): say it once.
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                LogNotLoaded(_logger, e.Message);
            }
        }

        return ValidateOptionsResult.Skip;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TorchSharp's native library could not be loaded, so training will fail: {Reason}")]
    private static partial void LogNotLoaded(ILogger logger, string reason);
}
