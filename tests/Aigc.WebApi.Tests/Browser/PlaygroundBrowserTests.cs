using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aigc.Monitoring;
using Aigc.WebApi.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Aigc.WebApi.Tests.Browser;

/// <summary>
/// The playground in a real browser: the host runs on Kestrel on a free localhost port, headless Chromium (driven by
/// browser/playground.test.mjs) types a prompt, sees the streamed answer and clicks thumbs-up; the feedback must then
/// be in the store with the prompt, the answer and the correction.
/// </summary>
public sealed class PlaygroundBrowserTests
{
    private const string Prompt = "Write a product description for a linen shirt";

    [Fact]
    public async Task Typing_a_prompt_streams_an_answer_and_thumbs_up_stores_feedback()
    {
        var node = BrowserPrerequisites.Require();
        using var factory = new WebHostFactory();
        await factory.InitializeAsync();
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var (exitCode, stdout, stderr) = await RunAsync(node, address);

        Assert.True(exitCode == 0, $"playground.test.mjs exited with {exitCode}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        var seen = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Empty(seen.GetProperty("errors").EnumerateArray());
        Assert.Equal(["tiny-gpt2", "tiny-gpt2:formal", "tiny-gpt2:playful"], seen.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        var answer = seen.GetProperty("answer").GetString();
        Assert.False(string.IsNullOrEmpty(answer));
        Assert.True(seen.GetProperty("chunks").GetInt32() > 1, "the page should build the answer from several streamed chunks");
        Assert.StartsWith("finish: ", seen.GetProperty("status").GetString(), StringComparison.Ordinal);
        var completionId = seen.GetProperty("completionId").GetString()!;
        Assert.StartsWith("chatcmpl-", completionId, StringComparison.Ordinal);

        var stored = await factory.Services.GetRequiredService<IFeedbackStore>().GetAsync(completionId + "-thumbs");
        Assert.NotNull(stored);
        Assert.True(stored.Value.AsBoolean);
        Assert.Equal(FeedbackNames.Thumbs, stored.Name);
        Assert.Equal("tiny-gpt2:formal", stored.ModelName);
        Assert.Equal(completionId, stored.TraceId);
        Assert.Equal(Prompt, stored.Prompt);
        Assert.Equal(answer, stored.Response);
        Assert.Equal("A breezy linen shirt for warm days.", stored.Correction);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string node, string baseUrl)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = BrowserPrerequisites.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("playground.test.mjs");
        start.ArgumentList.Add(baseUrl);
        start.ArgumentList.Add(Prompt);
        start.Environment["CHROMIUM_PATH"] = BrowserPrerequisites.Chromium;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"playground.test.mjs did not finish in 120 s. stderr so far: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
