namespace Aigc.Inference;

/// <summary>Wakes every alias watcher at once: a writer pulses it after a commit, a listener on a notification.</summary>
internal sealed class AliasChangeSignal
{
    private TaskCompletionSource _current = NewSource();

    /// <summary>Gets a task that completes at the next pulse; take it before reading, so no pulse is missed.</summary>
    public Task NextPulse => Volatile.Read(ref _current).Task;

    public void Pulse() => Interlocked.Exchange(ref _current, NewSource()).TrySetResult();

    /// <summary>Waits for <paramref name="pulse"/> or <paramref name="interval"/>, whichever comes first.</summary>
    public static async Task WaitAsync(Task pulse, TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, timeProvider, delayCancellation.Token);
        await Task.WhenAny(pulse, delay).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
