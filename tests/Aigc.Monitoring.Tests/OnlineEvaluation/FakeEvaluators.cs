namespace Aigc.Monitoring.Tests.OnlineEvaluation;

/// <summary>Scores a response with fixed scores and counts its calls.</summary>
internal sealed class FixedEvaluator(string name, IReadOnlyDictionary<string, double> scores) : IEvaluator
{
    private int _calls;

    public string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(EvaluationResult.Success(name, scores));
    }
}

/// <summary>Blocks every evaluation until released (or cancelled), and reports when the first one starts.</summary>
internal sealed class GatedEvaluator : IEvaluator
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public string Name => "gated";

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);

    public bool SawCancellation { get; private set; }

    public void Release() => _gate.TrySetResult();

    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Entered.TrySetResult();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SawCancellation = true;
            throw;
        }

        return EvaluationResult.Success(Name, new Dictionary<string, double> { ["done"] = 1 });
    }
}

/// <summary>Throws on every call.</summary>
internal sealed class ThrowingEvaluator : IEvaluator
{
    public string Name => "throwing";

    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("the judge is down");
}
