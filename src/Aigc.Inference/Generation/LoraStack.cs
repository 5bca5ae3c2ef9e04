namespace Aigc.Inference;

/// <summary>
/// The resident adapters of a per-row adapter export, stacked into slots: per LoRA layer one A buffer
/// <c>[slots, rank, in]</c> and one B buffer <c>[slots, out, rank]</c>, fed to every run with each row's slot in
/// <c>adapter_ids</c>. Slot 0 stays zero (the base model). Owned by the scheduler thread.
/// </summary>
/// <remarks>
/// The shared rank is the largest of the adapters placed so far; smaller ranks are zero-padded (zero rows of A and
/// columns of B add nothing). A new adapter takes a free slot, else the slot of an adapter no running sequence uses,
/// else the stack grows by one slot; a larger rank re-lays out every slot once. Placing an adapter copies its
/// matrices once; steps copy nothing.
/// </remarks>
internal sealed class LoraStack
{
    private readonly DecoderModel _model;
    private readonly Dictionary<ResidentAdapter, int> _slots = [];
    private ResidentAdapter?[] _owners;
    private int _rank;

    public LoraStack(DecoderModel model, int slots)
    {
        _model = model;
        _owners = new ResidentAdapter?[slots + 1];
        A = new float[model.StackedLora.Count][];
        B = new float[model.StackedLora.Count][];
        Allocate(_owners.Length, 0);
    }

    /// <summary>Gets the number of slots, slot 0 (zeros) included.</summary>
    public int Slots => _owners.Length;

    /// <summary>Gets the shared rank.</summary>
    public int Rank => _rank;

    /// <summary>Gets the A buffers, one per stacked layer in <see cref="DecoderModel.StackedLora"/> order.</summary>
    public float[][] A { get; }

    /// <summary>Gets the B buffers, one per stacked layer.</summary>
    public float[][] B { get; }

    /// <summary>Returns the adapter's slot (0 for none), placing it first when needed.</summary>
    /// <param name="adapter">The adapter, or <see langword="null"/> for the base model.</param>
    /// <param name="inUse">Collects the adapters running sequences use (called only when no slot is free).</param>
    public int SlotOf(ResidentAdapter? adapter, Func<HashSet<ResidentAdapter>> inUse)
    {
        if (adapter is null)
        {
            return 0;
        }

        if (_slots.TryGetValue(adapter, out var slot))
        {
            return slot;
        }

        slot = Array.IndexOf(_owners, null, 1);
        if (slot < 0)
        {
            var used = inUse();
            for (var s = 1; s < _owners.Length && slot < 0; s++)
            {
                if (!used.Contains(_owners[s]!))
                {
                    slot = s;
                }
            }
        }

        if (slot < 0)
        {
            slot = _owners.Length;
            Allocate(_owners.Length + 1, _rank);
        }
        else if (_owners[slot] is { } previous)
        {
            _slots.Remove(previous);
        }

        if (adapter.Rank > _rank)
        {
            Allocate(_owners.Length, adapter.Rank);
        }

        _owners[slot] = adapter;
        _slots[adapter] = slot;
        Write(slot, adapter);
        return slot;
    }

    /// <summary>Re-allocates for <paramref name="slots"/> slots of rank <paramref name="rank"/> and writes every placed adapter again.</summary>
    private void Allocate(int slots, int rank)
    {
        if (slots != _owners.Length)
        {
            Array.Resize(ref _owners, slots);
        }

        _rank = rank;
        var layers = _model.StackedLora;
        for (var i = 0; i < layers.Count; i++)
        {
            A[i] = new float[slots * rank * layers[i].InFeatures];
            B[i] = new float[slots * layers[i].OutFeatures * rank];
        }

        for (var s = 1; s < slots; s++)
        {
            if (_owners[s] is { } adapter)
            {
                Write(s, adapter);
            }
        }
    }

    private void Write(int slot, ResidentAdapter adapter)
    {
        var layers = _model.StackedLora;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var a = A[i].AsSpan(slot * _rank * layer.InFeatures, _rank * layer.InFeatures);
            var b = B[i].AsSpan(slot * layer.OutFeatures * _rank, layer.OutFeatures * _rank);
            a.Clear();
            b.Clear();
            if (!adapter.Matrices!.TryGetValue(layer.LoraA, out var fedA))
            {
                continue; // the adapter does not target this layer: its slot stays zero here
            }

            var r = (int)fedA.Dims[0];
            fedA.Values.CopyTo(a); // rows [0, r) of [rank, in]
            var fedB = adapter.Matrices[layer.LoraB].Values;
            for (var o = 0; o < layer.OutFeatures; o++)
            {
                fedB.AsSpan(o * r, r).CopyTo(b.Slice(o * _rank, r));
            }
        }
    }
}
