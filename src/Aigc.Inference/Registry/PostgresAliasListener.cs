using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aigc.Inference;

/// <summary>
/// Holds one connection that LISTENs on the registry's channel and pulses the alias signal on every notification.
/// Started by the first watcher; when the connection drops it logs, reconnects after the poll interval, and pulses
/// once connected again (watchers then read whatever they missed from the change log; they poll meanwhile).
/// </summary>
internal sealed class PostgresAliasListener : IAsyncDisposable
{
    private static readonly TimeSpan FirstListenTimeout = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly AliasChangeSignal _signal;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Task? _loop;

    public PostgresAliasListener(NpgsqlDataSource dataSource, string channel, AliasChangeSignal signal, TimeSpan retryDelay, TimeProvider timeProvider, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _signal = signal;
        _retryDelay = retryDelay;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts listening when not yet started, and waits until the first LISTEN succeeded or failed.</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        try
        {
            await _firstAttempt.Task.WaitAsync(FirstListenTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The connection attempt is still running: watchers start on polling and the listener joins when it connects.
        }
    }

    /// <summary>Asks the listening loop to stop, without waiting for it (synchronous disposal).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) => _signal.Pulse();
                    await using (var listen = new NpgsqlCommand("LISTEN \"" + _channel + "\"", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }

                    RegistryLog.Listening(_logger, _channel);
                    _firstAttempt.TrySetResult();
                    _signal.Pulse(); // Changes made while we were not listening: let the watchers look.
                    while (true)
                    {
                        await connection.WaitAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                RegistryLog.ListenFailed(_logger, _channel, _retryDelay, exception);
                _firstAttempt.TrySetResult();
                try
                {
                    await Task.Delay(_retryDelay, _timeProvider, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
