using CsCheck;
using static Aigc.Data.Tests.Tokenization.TokenizationTestData;

namespace Aigc.Data.Tests.Tokenization;

public sealed class SequencePackerTests
{
    [Fact]
    public void Examples_share_a_sequence_with_reset_positions_segment_ids_and_masked_padding()
    {
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 10, PadTokenId = 7 });
        var statistics = new PackingStatistics();

        var sequence = Assert.Single(packer.Pack([Example("a", 3, 100), Example("b", 4, 200)], statistics));

        Assert.Equal([100, 101, 102, 200, 201, 202, 203, 7, 7, 7], sequence.InputIds.ToArray());
        Assert.Equal([100, 101, 102, -100, 201, 202, 203, -100, -100, -100], sequence.Labels.ToArray());
        Assert.Equal([0, 1, 2, 0, 1, 2, 3, 0, 0, 0], sequence.PositionIds.ToArray());
        Assert.Equal([1, 1, 1, 2, 2, 2, 2, 0, 0, 0], sequence.SegmentIds.ToArray());
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 0, 0, 0], sequence.GetAttentionMask());
        Assert.Equal(7, sequence.TokenCount);
        Assert.Equal(2, sequence.SegmentCount);
        Assert.Equal(0.7, statistics.Efficiency, 9);
        Assert.Equal(6, statistics.TrainedTokens);
    }

    [Fact]
    public void Positions_can_run_over_the_whole_sequence_and_segment_starts_can_stay_trained()
    {
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 8, ResetPositionIds = false, MaskSegmentStarts = false });

        var sequence = Assert.Single(packer.Pack([Example("a", 3, 100), Example("b", 2, 200)]));

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], sequence.PositionIds.ToArray());
        Assert.Equal([100, 101, 102, 200, 201, -100, -100, -100], sequence.Labels.ToArray());
    }

    [Fact]
    public void Greedy_next_fit_closes_a_sequence_when_the_next_example_does_not_fit()
    {
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 10 });

        var sequences = packer.Pack([Example("a", 6, 100), Example("b", 6, 200), Example("c", 3, 300)]).ToList();

        Assert.Equal(2, sequences.Count);
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], sequences[0].SegmentIds.ToArray());
        Assert.Equal([200, 201, 202, 203, 204, 205, 300, 301, 302], sequences[1].InputIds[..9].ToArray());
    }

    [Fact]
    public void More_open_sequences_let_later_examples_fill_earlier_gaps()
    {
        var options = new SequencePackerOptions { SequenceLength = 10, MaxOpenSequences = 2 };
        var next = new PackingStatistics();
        var open = new PackingStatistics();
        TokenizedExample[] examples = [Example("a", 6, 100), Example("b", 6, 200), Example("c", 4, 300), Example("d", 4, 400)];

        var nextFit = new SequencePacker(new SequencePackerOptions { SequenceLength = 10 }).Pack(examples, next).ToList();
        var sequences = new SequencePacker(options).Pack(examples, open).ToList();

        Assert.Equal(3, nextFit.Count);
        Assert.Equal(2, sequences.Count);
        Assert.Equal([100, 101, 102, 103, 104, 105, 300, 301, 302, 303], sequences[0].InputIds.ToArray());
        Assert.Equal(1.0, open.Efficiency);
        Assert.True(open.Efficiency > next.Efficiency);
    }

    [Fact]
    public void Greedy_splits_an_oversized_example_into_full_sequences_and_packs_its_tail()
    {
        var statistics = new PackingStatistics();
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 10 });

        var sequences = packer.Pack([Example("long", 25, 1000), Example("short", 3, 2000)], statistics).ToList();

        Assert.Equal(3, sequences.Count);
        Assert.Equal(Enumerable.Range(1000, 10), sequences[0].InputIds.ToArray());
        Assert.Equal(Enumerable.Range(1010, 10), sequences[1].InputIds.ToArray());
        Assert.Equal([1020, 1021, 1022, 1023, 1024, 2000, 2001, 2002], sequences[2].InputIds[..8].ToArray());
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2, 0, 0], sequences[2].PositionIds.ToArray());
        Assert.Equal(1, statistics.ExamplesSplit);
    }

    [Fact]
    public void Concatenate_cuts_the_stream_at_sequence_boundaries()
    {
        var statistics = new PackingStatistics();
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 4, Strategy = PackingStrategy.Concatenate });

        var sequences = packer.Pack([Example("a", 3, 10), Example("b", 3, 20), Example("c", 1, 30)], statistics).ToList();

        Assert.Equal(2, sequences.Count);
        Assert.Equal([10, 11, 12, 20], sequences[0].InputIds.ToArray());
        Assert.Equal([21, 22, 30, 50256], sequences[1].InputIds.ToArray());
        Assert.Equal([0, 1, 0, 0], sequences[1].PositionIds.ToArray());
        Assert.Equal([1, 1, 2, 0], sequences[1].SegmentIds.ToArray());
        Assert.Equal([21, 22, -100, -100], sequences[1].Labels.ToArray());
        Assert.Equal(1, statistics.ExamplesSplit);
    }

    [Fact]
    public void Oversized_examples_can_be_dropped_and_final_partial_sequences_too()
    {
        var statistics = new PackingStatistics();
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 4, OversizedExamples = OversizedExampleHandling.Drop, DropFinalPartialSequences = true });

        var sequences = packer.Pack([Example("a", 4, 10), Example("huge", 9, 20), Example("b", 2, 40)], statistics).ToList();

        var sequence = Assert.Single(sequences);
        Assert.Equal([10, 11, 12, 13], sequence.InputIds.ToArray());
        Assert.Equal(1, statistics.ExamplesDropped);
        Assert.Equal(11, statistics.TokensDropped);
        Assert.Equal(1.0, statistics.Efficiency);
    }

    [Fact]
    public void No_token_is_lost_and_every_sequence_is_well_formed()
    {
        var gen = Gen.Select(Gen.Int[1, 60].Array[0, 40], Gen.Int[2, 24], Gen.Int[0, 1], Gen.Int[1, 4], Gen.Bool);
        gen.Sample(
            t =>
            {
                var (lengths, length, strategy, open, reset) = t;
                var examples = lengths.Select((n, i) => Example($"e{i}", n, (i + 1) * 1000)).ToList();
                var statistics = new PackingStatistics();
                var packer = new SequencePacker(new SequencePackerOptions
                {
                    SequenceLength = length,
                    PadTokenId = 5,
                    Strategy = (PackingStrategy)strategy,
                    MaxOpenSequences = open,
                    ResetPositionIds = reset,
                });

                var sequences = packer.Pack(examples, statistics).ToList();

                var packed = new List<int>();
                foreach (var sequence in sequences)
                {
                    Assert.Equal(length, sequence.Length);
                    var ids = sequence.InputIds.Span;
                    var labels = sequence.Labels.Span;
                    var positions = sequence.PositionIds.Span;
                    var segments = sequence.SegmentIds.Span;
                    for (var i = 0; i < length; i++)
                    {
                        if (segments[i] == 0)
                        {
                            Assert.Equal(5, ids[i]);
                            Assert.Equal(RecordTokenizer.IgnoreIndex, labels[i]);
                            continue;
                        }

                        packed.Add(ids[i]);
                        var segmentStart = i == 0 || segments[i - 1] != segments[i];
                        Assert.Equal(segmentStart ? (reset ? 0 : i) : positions[i - 1] + 1, positions[i]);
                        if (segmentStart && i > 0)
                        {
                            Assert.Equal(RecordTokenizer.IgnoreIndex, labels[i]);
                        }
                        else
                        {
                            Assert.Equal(ids[i], labels[i]);
                        }
                    }
                }

                var expected = examples.SelectMany(e => e.InputIds.ToArray()).ToList();
                Assert.Equal(expected.Sum(x => (long)x), packed.Sum(x => (long)x));
                Assert.Equal(expected.Order(), packed.Order());
                if (strategy == (int)PackingStrategy.Concatenate)
                {
                    Assert.Equal(expected, packed);
                }

                // Every example's tokens come out in their order, whatever the strategy.
                foreach (var example in examples)
                {
                    var first = example.InputIds.Span[0];
                    Assert.Equal(example.InputIds.ToArray(), packed.Where(id => id >= first && id < first + 1000).ToArray());
                }

                Assert.Equal(lengths.Sum(), statistics.Tokens);
                Assert.Equal(sequences.Count * (long)length, statistics.Tokens + statistics.PadTokens);
                Assert.Equal(lengths.Length, statistics.Examples);
            },
            iter: 150,
            threads: 1);
    }

    [Fact]
    public void Invalid_options_are_listed_in_one_exception()
    {
        var e = Assert.Throws<ArgumentException>(() => new SequencePacker(new SequencePackerOptions { SequenceLength = 1, PadTokenId = -1, MaxOpenSequences = 0 }));

        Assert.Contains("SequenceLength", e.Message, StringComparison.Ordinal);
        Assert.Contains("PadTokenId", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxOpenSequences", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_copied_so_later_changes_do_not_leak_in()
    {
        var options = new SequencePackerOptions { SequenceLength = 16 };
        var packer = new SequencePacker(options);
        options.SequenceLength = 32;

        Assert.Equal(16, packer.SequenceLength);
        Assert.Equal("16", packer.Parameters["sequence_length"]);
    }
}
