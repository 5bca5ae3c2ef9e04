namespace Aigc.Inference;

/// <summary>
/// The waiting requests: one first-in-first-out list per priority level, linked through the requests themselves so
/// that enqueue, removal (cancellation, timeout) and dequeue allocate nothing. Not thread-safe: the owner locks.
/// </summary>
internal sealed class RequestQueue
{
    private readonly PendingRequest?[] _heads;
    private readonly PendingRequest?[] _tails;

    public RequestQueue(int levels)
    {
        _heads = new PendingRequest?[levels];
        _tails = new PendingRequest?[levels];
    }

    public int Count { get; private set; }

    public int Levels => _heads.Length;

    public PendingRequest? Head(int level) => _heads[level];

    public void Enqueue(PendingRequest request)
    {
        var level = request.Level;
        request.Next = null;
        request.Previous = _tails[level];
        if (_tails[level] is { } tail)
        {
            tail.Next = request;
        }
        else
        {
            _heads[level] = request;
        }

        _tails[level] = request;
        Count++;
    }

    public void Remove(PendingRequest request)
    {
        var level = request.Level;
        if (request.Previous is { } previous)
        {
            previous.Next = request.Next;
        }
        else
        {
            _heads[level] = request.Next;
        }

        if (request.Next is { } next)
        {
            next.Previous = request.Previous;
        }
        else
        {
            _tails[level] = request.Previous;
        }

        request.Previous = null;
        request.Next = null;
        Count--;
    }

    /// <summary>Returns the arrival time of the oldest waiting request (the oldest head over all levels).</summary>
    public long OldestArrival()
    {
        var oldest = long.MaxValue;
        foreach (var head in _heads)
        {
            if (head is not null && head.EnqueuedAt < oldest)
            {
                oldest = head.EnqueuedAt;
            }
        }

        return oldest;
    }

    /// <summary>Returns the earliest deadline of any waiting request.</summary>
    public long EarliestDeadline()
    {
        var earliest = long.MaxValue;
        foreach (var head in _heads)
        {
            for (var node = head; node is not null; node = node.Next)
            {
                if (node.Deadline < earliest)
                {
                    earliest = node.Deadline;
                }
            }
        }

        return earliest;
    }
}
