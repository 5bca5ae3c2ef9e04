namespace Aigc.Inference;

/// <summary>
/// The thread that runs the UNet. Each iteration admits waiting jobs while their rows fit in
/// <see cref="DiffusionPipelineOptions.MaxBatchSize"/>, drops cancelled ones, and advances every running job by one
/// step: jobs with the same latent size (and, when the UNet takes a single timestep, the same timestep) share one
/// UNet call, each row with its own timestep and text states. A job leaves as soon as its last step is done.
/// </summary>
internal sealed class DenoisingLoop : IDisposable
{
    private readonly DiffusionModel _model;
    private readonly DiffusionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _maxRows;
    private readonly Lock _gate = new();
    private readonly Queue<DenoisingJob> _waiting = new();
    private readonly List<DenoisingJob> _running = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private readonly Thread _thread;
    private int _runningRows;
    private long _unetRows;
    private long _unetCalls;

    public DenoisingLoop(DiffusionModel model, DiffusionMetrics metrics, TimeProvider time, int maxRows)
    {
        _model = model;
        _metrics = metrics;
        _time = time;
        _maxRows = maxRows;
        _thread = new Thread(Run) { IsBackground = true, Name = "Aigc diffusion " + model.Name };
        _thread.Start();
    }

    /// <summary>Gets the number of jobs denoising now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Gets the number of jobs waiting for room in the batch.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Gets the UNet rows run so far.</summary>
    public long UnetRows => Interlocked.Read(ref _unetRows);

    /// <summary>Gets the UNet calls made so far.</summary>
    public long UnetCalls => Interlocked.Read(ref _unetCalls);

    public void Enqueue(DenoisingJob job)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _waiting.Enqueue(job);
        }

        _signal.Release();
    }

    public void Wake() => _signal.Release();

    /// <summary>Holds the loop before its next admission (tests use it to line requests up).</summary>
    internal void Pause() => _open.Reset();

    /// <summary>Lets a paused loop go on.</summary>
    internal void Resume() => _open.Set();

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _signal.Release();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        lock (_gate)
        {
            var disposed = new ObjectDisposedException(nameof(DiffusionPipeline), "The diffusion pipeline was disposed before the request finished.");
            foreach (var job in _running.Concat(_waiting))
            {
                job.Fail(disposed);
            }

            _running.Clear();
            _waiting.Clear();
        }

        _signal.Dispose();
        _open.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        var stop = _stop.Token;
        var batch = new List<DenoisingJob>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                _open.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Admit();
            if (_running.Count == 0)
            {
                try
                {
                    _signal.Wait(stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            // Each running job advances one step per iteration, in groups that can share a UNet call.
            var pending = new List<DenoisingJob>(_running);
            while (pending.Count > 0)
            {
                var first = pending[0];
                batch.Clear();
                for (var i = 0; i < pending.Count; i++)
                {
                    var job = pending[i];
                    if (job.LatentHeight == first.LatentHeight && job.LatentWidth == first.LatentWidth && (_model.TimestepPerRow || job.Timestep == first.Timestep))
                    {
                        batch.Add(job);
                        pending.RemoveAt(i--);
                    }
                }

                StepBatch(batch, stop);
            }
        }
    }

    private void Admit()
    {
        lock (_gate)
        {
            for (var i = _running.Count - 1; i >= 0; i--)
            {
                var job = _running[i];
                if (job.IsCancelled)
                {
                    _running.RemoveAt(i);
                    _runningRows -= job.Rows;
                    job.Abort(CancellationToken.None);
                }
            }

            while (_waiting.TryPeek(out var next))
            {
                if (next.IsCancelled)
                {
                    _waiting.Dequeue();
                    next.Abort(CancellationToken.None);
                    continue;
                }

                if (_running.Count > 0 && _runningRows + next.Rows > _maxRows)
                {
                    break;
                }

                _waiting.Dequeue();
                _running.Add(next);
                _runningRows += next.Rows;
                next.StartedAt = _time.GetTimestamp();
                _metrics.QueueTime(_time.GetElapsedTime(next.EnqueuedAt, next.StartedAt));
            }
        }
    }

    private void StepBatch(List<DenoisingJob> batch, CancellationToken stop)
    {
        var first = batch[0];
        var height = first.LatentHeight;
        var width = first.LatentWidth;
        var latentSize = _model.LatentChannels * height * width;
        var hiddenSize = first.HiddenSize;
        var textSize = _model.Tokenizer.MaxLength * hiddenSize;
        var rows = 0;
        foreach (var job in batch)
        {
            rows += job.Rows;
        }

        var sample = new float[rows * latentSize];
        var hidden = new float[rows * textSize];
        var timesteps = new double[rows];
        var row = 0;
        foreach (var job in batch)
        {
            for (var image = 0; image < job.Latents.Length; image++)
            {
                var scheduler = job.Schedulers[image];
                var scale = (float)scheduler.InputScale(job.Step);
                var latents = job.Latents[image];
                if (job.Unconditional is { } unconditional)
                {
                    Fill(sample.AsSpan(row * latentSize, latentSize), latents, scale);
                    unconditional.CopyTo(hidden, row * textSize);
                    timesteps[row++] = scheduler.Timesteps[job.Step];
                }

                Fill(sample.AsSpan(row * latentSize, latentSize), latents, scale);
                job.Conditional.CopyTo(hidden, row * textSize);
                timesteps[row++] = scheduler.Timesteps[job.Step];
            }
        }

        float[] output;
        var started = _time.GetTimestamp();
        try
        {
            output = _model.Denoise(sample, rows, height, width, timesteps, hidden, hiddenSize, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception)
        {
            Remove(batch, job => job.Fail(exception));
            return;
        }

        _metrics.Step(_time.GetElapsedTime(started), rows);
        Interlocked.Add(ref _unetRows, rows);
        Interlocked.Increment(ref _unetCalls);
        var guided = new float[latentSize];
        var finished = new List<DenoisingJob>();
        row = 0;
        foreach (var job in batch)
        {
            for (var image = 0; image < job.Latents.Length; image++)
            {
                var conditional = output.AsSpan(row * latentSize, latentSize);
                if (job.Unconditional is not null)
                {
                    var unconditional = conditional;
                    conditional = output.AsSpan((row + 1) * latentSize, latentSize);
                    var g = job.GuidanceScale;
                    for (var i = 0; i < latentSize; i++)
                    {
                        guided[i] = unconditional[i] + (g * (conditional[i] - unconditional[i]));
                    }

                    row += 2;
                }
                else
                {
                    conditional.CopyTo(guided);
                    row++;
                }

                job.Schedulers[image].Step(guided, job.Step, job.Latents[image], job.Noise[image]);
            }

            job.Step++;
            job.Progress?.Report(new DiffusionProgress(job.Step - job.StartStep, job.EndStep - job.StartStep));
            if (job.Step == job.EndStep)
            {
                finished.Add(job);
            }
        }

        Remove(finished, job => job.Complete());
    }

    private void Remove(List<DenoisingJob> jobs, Action<DenoisingJob> finish)
    {
        lock (_gate)
        {
            foreach (var job in jobs)
            {
                if (_running.Remove(job))
                {
                    _runningRows -= job.Rows;
                }
            }
        }

        foreach (var job in jobs)
        {
            finish(job);
        }
    }

    private static void Fill(Span<float> destination, float[] latents, float scale)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = latents[i] * scale;
        }
    }
}
