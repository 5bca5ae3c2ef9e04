using TorchSharp;

namespace Aigc.Training.Tests.Trainer;

/// <summary>
/// Tests that train and compare runs bit for bit: TorchSharp's random generator and thread count are global, so these
/// run alone (no other test class in parallel) with one intra-op thread (repeatable reductions, and fast on a busy
/// machine).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSerialCollection : ICollectionFixture<SingleThreadedTorch>
{
    public const string Name = "TorchSharp, serial";
}

/// <summary>Sets TorchSharp to one intra-op thread for the collection and restores the count after it.</summary>
public sealed class SingleThreadedTorch : IDisposable
{
    private readonly int _previous;

    public SingleThreadedTorch()
    {
        _previous = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(_previous);
}
