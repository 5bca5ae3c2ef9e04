using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring;

/// <summary>
/// Watches the distributions of prompt length, response length and quality scores (or any named signal) for
/// drift: each signal keeps a baseline window and a current window of its most recent values, and a check compares
/// them with <see cref="DriftDetector"/> (PSI and the two-sample Kolmogorov–Smirnov test).
/// </summary>
/// <remarks>
/// <para>
/// The baseline is set with <see cref="SetBaseline"/>, or (by default) is the first
/// <see cref="DriftOptions.WindowSize"/> values recorded. A signal is checked every
/// <see cref="DriftOptions.CheckEvery"/> values, or when <see cref="Check"/> or <see cref="CheckAll"/> is called,
/// once both windows hold <see cref="DriftOptions.MinimumSamples"/> values.
/// </para>
/// <para>
/// When a check finds a signal drifting that was not drifting before, the monitor writes a warning to the log,
/// adds one to the <see cref="DriftTelemetry.Alerts"/> counter of the <c>Aigc.Monitoring</c> meter and raises
/// <see cref="DriftDetected"/> (synchronously, on the thread that recorded the value or asked for the check). It
/// alerts again only after a check has found the signal back within its thresholds. The latest PSI and KS
/// statistic of every signal are published as gauges.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class DriftMonitor : IDisposable
{
    private readonly DriftOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _alerts;
    private readonly ConcurrentDictionary<string, SignalState> _signals = new(StringComparer.Ordinal);

    /// <summary>Initializes a monitor.</summary>
    /// <param name="options">The thresholds and window sizes.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Monitoring</c> meter, or <see langword="null"/> to create it directly.</param>
    /// <param name="timeProvider">The clock of the reports, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (for example a window smaller than the minimum sample).</exception>
    public DriftMonitor(IOptions<DriftOptions> options, ILogger<DriftMonitor>? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value ?? throw new ArgumentNullException(nameof(options));
        if (value.MinimumSamples > value.WindowSize)
        {
            throw new ArgumentException($"MinimumSamples ({value.MinimumSamples}) exceeds WindowSize ({value.WindowSize}): no check could ever run. Lower MinimumSamples or raise WindowSize.", nameof(options));
        }

        _options = new DriftOptions
        {
            PsiThreshold = value.PsiThreshold,
            KsPValueThreshold = value.KsPValueThreshold,
            Bins = value.Bins,
            Epsilon = value.Epsilon,
            WindowSize = value.WindowSize,
            MinimumSamples = value.MinimumSamples,
            CheckEvery = value.CheckEvery,
            BaselineFromFirstWindow = value.BaselineFromFirstWindow,
        };
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _meter = DriftTelemetry.CreateMeter(meterFactory);
        _ownsMeter = meterFactory is null;
        _alerts = _meter.CreateCounter<long>(DriftTelemetry.Alerts, "{alert}", "Drift alerts raised: a signal's current window left its baseline's distribution.");
        _meter.CreateObservableGauge(DriftTelemetry.Psi, () => Latest(static r => r.Psi.Value), description: "The latest population stability index of each drift signal.");
        _meter.CreateObservableGauge(DriftTelemetry.KsStatistic, () => Latest(static r => r.Ks.Statistic), description: "The latest two-sample Kolmogorov–Smirnov statistic of each drift signal.");
    }

    /// <summary>
    /// Raised when a check finds a signal drifting that was not drifting at the previous check. Handlers run
    /// synchronously on the thread that recorded the value or asked for the check; an exception thrown by a handler
    /// reaches that caller, so keep handlers short and let them hand work off.
    /// </summary>
    public event EventHandler<DriftReport>? DriftDetected;

    /// <summary>Gets the names of the signals seen so far.</summary>
    public IReadOnlyCollection<string> Signals => [.. _signals.Keys];

    /// <summary>Records one exchange's prompt and response lengths.</summary>
    /// <param name="promptLength">The prompt length (usually tokens).</param>
    /// <param name="responseLength">The response length (usually tokens).</param>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    public void RecordExchange(int promptLength, int responseLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptLength);
        ArgumentOutOfRangeException.ThrowIfNegative(responseLength);
        Record(DriftSignals.PromptLength, promptLength);
        Record(DriftSignals.ResponseLength, responseLength);
    }

    /// <summary>Records a quality score (signal <c>quality.&lt;name&gt;</c>).</summary>
    /// <param name="scoreName">The score's name, for example <c>judge_score</c>.</param>
    /// <param name="value">The score.</param>
    /// <exception cref="ArgumentException"><paramref name="scoreName"/> is empty or <paramref name="value"/> is not finite.</exception>
    public void RecordQualityScore(string scoreName, double value) => Record(DriftSignals.Quality(scoreName), value);

    /// <summary>Records one value of a signal, and checks the signal when <see cref="DriftOptions.CheckEvery"/> values have arrived since the last check.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is empty or <paramref name="value"/> is not finite.</exception>
    public void Record(string signal, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"A drift value must be a finite number; got {value} for signal '{signal}'.", nameof(value));
        }

        var state = _signals.GetOrAdd(signal, static (_, size) => new SignalState(size), _options.WindowSize);
        DriftReport? report = null;
        bool alert = false, recovered = false;
        int baselineFromWindow = 0;
        lock (state)
        {
            state.Add(value);
            if (state.Baseline is null && _options.BaselineFromFirstWindow && state.Count == _options.WindowSize)
            {
                state.Baseline = state.Snapshot();
                state.Clear();
                baselineFromWindow = state.Baseline.Length;
            }
            else if (_options.CheckEvery > 0 && ++state.SinceCheck >= _options.CheckEvery)
            {
                report = CheckLocked(signal, state, out alert, out recovered);
            }
        }

        if (baselineFromWindow > 0)
        {
            DriftLog.BaselineSet(_logger, signal, baselineFromWindow);
        }

        Publish(report, alert, recovered);
    }

    /// <summary>Sets a signal's baseline; the current window is kept.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="values">The baseline values (at least two).</param>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is empty, or the values are fewer than two or not all finite.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    public void SetBaseline(string signal, IEnumerable<double> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        ArgumentNullException.ThrowIfNull(values);
        var baseline = values.ToArray();
        if (baseline.Length < 2)
        {
            throw new ArgumentException("A baseline needs at least two values.", nameof(values));
        }

        foreach (var value in baseline)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"A drift value must be a finite number; the baseline of '{signal}' contains {value}.", nameof(values));
            }
        }

        var state = _signals.GetOrAdd(signal, static (_, size) => new SignalState(size), _options.WindowSize);
        lock (state)
        {
            state.Baseline = baseline;
            state.Drifting = false;
        }

        DriftLog.BaselineSet(_logger, signal, baseline.Length);
    }

    /// <summary>Makes a signal's current window its new baseline and empties the window (for example after a deliberate model change).</summary>
    /// <param name="signal">The signal's name.</param>
    /// <returns>Whether the window had at least two values and became the baseline.</returns>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is empty.</exception>
    public bool PromoteCurrentWindowToBaseline(string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        if (!_signals.TryGetValue(signal, out var state))
        {
            return false;
        }

        int count;
        lock (state)
        {
            if (state.Count < 2)
            {
                return false;
            }

            state.Baseline = state.Snapshot();
            state.Clear();
            state.Drifting = false;
            count = state.Baseline.Length;
        }

        DriftLog.BaselineSet(_logger, signal, count);
        return true;
    }

    /// <summary>Checks one signal now.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <returns>The report, or <see langword="null"/> when the signal is unknown, has no baseline, or either window holds fewer than <see cref="DriftOptions.MinimumSamples"/> values.</returns>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is empty.</exception>
    public DriftReport? Check(string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        if (!_signals.TryGetValue(signal, out var state))
        {
            return null;
        }

        DriftReport? report;
        bool alert, recovered;
        lock (state)
        {
            report = CheckLocked(signal, state, out alert, out recovered);
        }

        Publish(report, alert, recovered);
        return report;
    }

    /// <summary>Checks every signal that can be checked.</summary>
    /// <returns>The reports, one per checked signal, in name order.</returns>
    public IReadOnlyList<DriftReport> CheckAll()
    {
        var reports = new List<DriftReport>();
        foreach (var signal in _signals.Keys.Order(StringComparer.Ordinal))
        {
            if (Check(signal) is { } report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private DriftReport? CheckLocked(string signal, SignalState state, out bool alert, out bool recovered)
    {
        alert = recovered = false;
        state.SinceCheck = 0;
        if (state.Baseline is not { } baseline || baseline.Length < _options.MinimumSamples || state.Count < _options.MinimumSamples)
        {
            return null;
        }

        var report = DriftDetector.Compare(signal, baseline, state.Snapshot(), _options, _time.GetUtcNow());
        alert = report.IsDrift && !state.Drifting;
        recovered = !report.IsDrift && state.Drifting;
        state.Drifting = report.IsDrift;
        state.Last = report;
        return report;
    }

    private void Publish(DriftReport? report, bool alert, bool recovered)
    {
        if (report is null)
        {
            return;
        }

        if (recovered)
        {
            DriftLog.DriftRecovered(_logger, report.Signal, report.Psi.Value, report.Ks.PValue);
        }

        if (!alert)
        {
            return;
        }

        DriftLog.DriftDetected(_logger, report.Signal, report.Psi.Value, _options.PsiThreshold, report.Ks.Statistic, report.Ks.PValue, _options.KsPValueThreshold, report.BaselineCount, report.CurrentCount);
        var test = report.PsiExceeded && report.KsRejected ? "psi+ks" : report.PsiExceeded ? "psi" : "ks";
        _alerts.Add(1, new KeyValuePair<string, object?>(DriftTelemetry.SignalTag, report.Signal), new KeyValuePair<string, object?>(DriftTelemetry.TestTag, test));
        DriftDetected?.Invoke(this, report);
    }

    private IEnumerable<Measurement<double>> Latest(Func<DriftReport, double> select)
    {
        foreach (var (signal, state) in _signals)
        {
            DriftReport? last;
            lock (state)
            {
                last = state.Last;
            }

            if (last is not null)
            {
                yield return new Measurement<double>(select(last), new KeyValuePair<string, object?>(DriftTelemetry.SignalTag, signal));
            }
        }
    }

    /// <summary>One signal's windows; guarded by locking the instance.</summary>
    private sealed class SignalState(int capacity)
    {
        private readonly double[] _window = new double[capacity];
        private int _next;

        public int Count { get; private set; }

        public double[]? Baseline { get; set; }

        public int SinceCheck { get; set; }

        public bool Drifting { get; set; }

        public DriftReport? Last { get; set; }

        public void Add(double value)
        {
            _window[_next] = value;
            _next = (_next + 1) % _window.Length;
            Count = Math.Min(Count + 1, _window.Length);
        }

        public double[] Snapshot()
        {
            var copy = new double[Count];
            if (Count < _window.Length)
            {
                Array.Copy(_window, copy, Count);
            }
            else
            {
                // Oldest first: from the next write position to the end, then the start.
                var tail = _window.Length - _next;
                Array.Copy(_window, _next, copy, 0, tail);
                Array.Copy(_window, 0, copy, tail, _next);
            }

            return copy;
        }

        public void Clear()
        {
            Count = 0;
            _next = 0;
            SinceCheck = 0;
        }
    }
}
