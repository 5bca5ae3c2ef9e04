using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// One loaded ONNX model: an ONNX Runtime <see cref="InferenceSession"/> created with <see cref="ModelSessionOptions"/>
/// (execution provider with CPU fallback, graph optimisation, threads, execution mode, memory arena), warmed up at
/// load, with its <see cref="ModelMetadata"/> and request validation. <see cref="Run"/> is thread-safe; serve many
/// callers through a <see cref="BatchedModel"/>.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private bool _disposed;

    private ModelSession(InferenceSession session, string name, ExecutionProvider provider)
    {
        _session = session;
        Name = name;
        ExecutionProvider = provider;
        Metadata = ModelMetadata.FromSession(session);
    }

    /// <summary>Gets the model's name: the file name without extension, or the name given at load.</summary>
    public string Name { get; }

    /// <summary>Gets the execution provider the session runs on (<see cref="Inference.ExecutionProvider.Cpu"/> or <see cref="Inference.ExecutionProvider.Cuda"/>).</summary>
    public ExecutionProvider ExecutionProvider { get; }

    /// <summary>Gets the model's inputs, outputs and descriptive fields.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Gets the underlying ONNX Runtime session, for calls this type does not wrap. It is disposed with this instance.</summary>
    public InferenceSession OnnxSession
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session;
        }
    }

    /// <summary>Loads a model file.</summary>
    /// <param name="path">The path of the <c>.onnx</c> file.</param>
    /// <param name="options">The session options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the CPU-fallback warning and the load message; <see langword="null"/> for none.</param>
    /// <param name="name">The model name used in logs and metrics; <see langword="null"/> for the file name without extension.</param>
    /// <returns>The loaded, warmed-up session.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelLoadException">ONNX Runtime rejected the file, CUDA was required but is unavailable, or the warm-up run failed.</exception>
    public static ModelSession Load(string path, ModelSessionOptions? options = null, ILogger? logger = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The model file '{path}' does not exist.", path);
        }

        return Load(so => new InferenceSession(path, so), name ?? Path.GetFileNameWithoutExtension(path), options, logger);
    }

    /// <summary>Loads a model from the bytes of an ONNX file.</summary>
    /// <param name="model">The ONNX file's bytes.</param>
    /// <param name="name">The model name used in logs and metrics.</param>
    /// <param name="options">The session options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the CPU-fallback warning and the load message; <see langword="null"/> for none.</param>
    /// <returns>The loaded, warmed-up session.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ModelLoadException">ONNX Runtime rejected the bytes, CUDA was required but is unavailable, or the warm-up run failed.</exception>
    public static ModelSession LoadFromBytes(byte[] model, string name, ModelSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Load(so => new InferenceSession(model, so), name, options, logger);
    }

    /// <summary>Checks a request against the model's inputs without running it.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelInputException">An input is unknown, missing, or has the wrong element type, rank or fixed dimension; the message says which and why.</exception>
    public void Validate(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Validate(Metadata, request, new InferenceTensor?[Metadata.InputArray.Length], builtInput: -1, firstCheckedDimension: 0);
    }

    /// <summary>
    /// Runs the model once on the request as it is (no batching with other requests), on the calling thread.
    /// Thread-safe. <see cref="InferenceRequest.Priority"/> and <see cref="InferenceRequest.Timeout"/> do not apply.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Stops the run (ONNX Runtime's terminate flag) when canceled.</param>
    /// <returns>Every output of the model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelInputException">The request does not fit the model's inputs.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model.</exception>
    /// <exception cref="ObjectDisposedException">The session has been disposed.</exception>
    public InferenceResult Run(InferenceRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        var inputs = Metadata.InputArray;
        var ordered = new InferenceTensor?[inputs.Length];
        RequestValidator.Validate(Metadata, request, ordered, builtInput: -1, firstCheckedDimension: 0);
        cancellationToken.ThrowIfCancellationRequested();

        var start = Stopwatch.GetTimestamp();
        var values = new OrtValue[inputs.Length];
        using var ownOptions = cancellationToken.CanBeCanceled ? new RunOptions() : null;
        var runOptions = ownOptions ?? _runOptions;
        using var registration = ownOptions is not null
            ? cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, ownOptions)
            : default;
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ordered[i]!.CreateOrtValue();
            }

            IDisposableReadOnlyCollection<OrtValue> results;
            try
            {
                results = _session.Run(runOptions, Metadata.InputNameArray, values, Metadata.OutputNameArray);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The model run was canceled.", cancellationToken);
            }

            using (results)
            {
                var outputs = new InferenceTensor[results.Count];
                var index = 0;
                foreach (var value in results)
                {
                    outputs[index++] = CopyOut(value);
                }

                var rows = ordered.Length > 0 && ordered[0]!.Rank > 0 ? (int)ordered[0]!.Rows : 1;
                var elapsed = Stopwatch.GetElapsedTime(start);
                return new InferenceResult(Metadata, outputs, rows, rows, TimeSpan.Zero, elapsed);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
    }

    internal static InferenceTensor CopyOut(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        var tensor = TensorElementTypes.Allocate(info.ElementDataType, shape, checked((int)info.ElementCount));
        value.GetTensorMutableRawData().CopyTo(tensor.WritableBytes);
        return tensor;
    }

    private static ModelSession Load(Func<SessionOptions, InferenceSession> create, string name, ModelSessionOptions? options, ILogger? logger)
    {
        options ??= new ModelSessionOptions();
        logger ??= NullLogger.Instance;
        var start = Stopwatch.GetTimestamp();
        var requested = options.ExecutionProvider ?? ExecutionProvider.Auto;
        InferenceSession? session = null;
        var provider = ExecutionProvider.Cpu;
        if (requested is ExecutionProvider.Auto or ExecutionProvider.Cuda)
        {
            try
            {
                using var cudaOptions = CreateSessionOptions(options);
                AppendCuda(cudaOptions, options);
                session = CreateSession(create, cudaOptions, name);
                provider = ExecutionProvider.Cuda;
            }
            catch (Exception exception) when (IsProviderFailure(exception))
            {
                if (requested == ExecutionProvider.Cuda)
                {
                    throw new ModelLoadException(
                        $"Model '{name}' asks for the CUDA execution provider, which is not available: {exception.Message} " +
                        "Reference Microsoft.ML.OnnxRuntime.Gpu (instead of Microsoft.ML.OnnxRuntime) and install CUDA and cuDNN, or choose ExecutionProvider Auto or Cpu.",
                        exception);
                }

                SessionLog.CudaUnavailable(logger, name, exception);
            }
        }

        if (session is null)
        {
            using var cpuOptions = CreateSessionOptions(options);
            session = CreateSession(create, cpuOptions, name);
        }

        ModelSession result;
        try
        {
            result = new ModelSession(session, name, provider);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        var warmUp = TimeSpan.Zero;
        if (options.WarmUp)
        {
            var warmStart = Stopwatch.GetTimestamp();
            try
            {
                result.Run(CreateWarmUpRequest(result.Metadata));
            }
            catch (Exception exception) when (exception is OnnxRuntimeException or ModelInputException or NotSupportedException)
            {
                result.Dispose();
                throw new ModelLoadException(
                    $"The warm-up run of model '{name}' failed: {exception.Message} The warm-up feeds zeros with every symbolic dimension set to 1; " +
                    "if the model needs other values, set WarmUp to false.",
                    exception);
            }

            warmUp = Stopwatch.GetElapsedTime(warmStart);
        }

        SessionLog.Loaded(logger, name, provider, Stopwatch.GetElapsedTime(start).TotalMilliseconds, warmUp.TotalMilliseconds);
        return result;
    }

    private static InferenceSession CreateSession(Func<SessionOptions, InferenceSession> create, SessionOptions sessionOptions, string name)
    {
        try
        {
            return create(sessionOptions);
        }
        catch (OnnxRuntimeException exception) when (!IsCudaMessage(exception))
        {
            throw new ModelLoadException($"ONNX Runtime could not load model '{name}': {exception.Message}", exception);
        }
    }

    private static SessionOptions CreateSessionOptions(ModelSessionOptions options)
    {
        var sessionOptions = new SessionOptions();
        try
        {
            sessionOptions.GraphOptimizationLevel = options.GraphOptimization switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            sessionOptions.ExecutionMode = options.ExecutionMode == SessionExecutionMode.Parallel ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL;
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
            sessionOptions.InterOpNumThreads = options.InterOpThreads;
            sessionOptions.EnableCpuMemArena = options.EnableMemoryArena;
            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static void AppendCuda(SessionOptions sessionOptions, ModelSessionOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        var settings = new Dictionary<string, string>(options.CudaProviderOptions, StringComparer.Ordinal)
        {
            ["device_id"] = (options.DeviceId ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        cuda.UpdateOptions(settings);
        sessionOptions.AppendExecutionProvider_CUDA(cuda);
    }

    private static bool IsProviderFailure(Exception exception)
        => exception is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException;

    private static bool IsCudaMessage(OnnxRuntimeException exception)
        => exception.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase);

    private static InferenceRequest CreateWarmUpRequest(ModelMetadata metadata)
    {
        var request = new InferenceRequest();
        foreach (var input in metadata.InputArray)
        {
            if (!input.IsTensor)
            {
                throw new NotSupportedException($"Input '{input.Name}' is not a tensor.");
            }

            var shape = new long[input.Rank];
            var count = 1;
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = input.Dimensions[d] < 0 ? 1 : input.Dimensions[d];
                count = checked(count * (int)shape[d]);
            }

            request.Inputs[input.Name] = TensorElementTypes.Allocate(input.ElementType, shape, count);
        }

        return request;
    }
}
