using Microsoft.Extensions.Options;

namespace Aigc.Training;

/// <summary>
/// Loads TorchSharp's native library when the host starts: it runs with the start-up validation of
/// <see cref="TrainingOptions"/> (<c>ValidateOnStart</c>), so a missing or unloadable libtorch fails the start with a
/// message, not the first training run. (The package takes no hosting dependency for an <c>IHostedService</c>.)
/// </summary>
internal sealed class TorchSharpStartupCheck : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        try
        {
            TorchSharpRuntime.EnsureLoaded();
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is DllNotFoundException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"TorchSharp's native library could not be loaded: {e.Message}");
        }
    }
}
