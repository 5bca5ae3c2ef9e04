using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace Aigc.Data.Tests.Dedup;

public sealed class ExactDedupStepTests
{
    [Fact]
    public async Task Case_whitespace_and_accent_variants_are_duplicates()
    {
        var context = new DataStepContext("dedup.exact");
        var records = DedupTestData.Texts("Hello  World", "hello world", " HELLO\tworld\n", "Café au lait", "cafe\u0301 AU\r\nlait", "hello world!");

        var kept = await DedupTestData.RunAsync(new ExactDedupStep(), records, context);

        Assert.Equal(["r0", "r3", "r5"], kept.Select(r => r.Id));
        Assert.Equal(3, context.DuplicateCount);
        Assert.Equal(3, context.Counters[ExactDedupStep.DuplicatesCounter]);
        Assert.Equal(records.Count, kept.Count + context.DuplicateCount);
    }

    [Fact]
    public async Task Different_texts_are_all_kept()
    {
        var context = new DataStepContext("dedup.exact");
        var records = Enumerable.Range(0, 2000).Select(i => DataRecord.CreateText("r" + i, "text number " + i)).ToList();

        var kept = await DedupTestData.RunAsync(new ExactDedupStep(), records, context);

        Assert.Equal(2000, kept.Count);
        Assert.Equal(0, context.DuplicateCount);
        Assert.Equal(0, context.Counters[ExactDedupStep.DuplicatesCounter]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_first_record_survives_in_any_order(bool trackSurvivorIds)
    {
        var random = new Random(3);
        var records = Enumerable.Range(0, 300).Select(i => DataRecord.CreateText("r" + i, "text " + (i % 37))).OrderBy(_ => random.Next()).ToList();
        var expected = records.GroupBy(r => r.GetText()).Select(g => g.First().Id).ToList();
        var step = new ExactDedupStep(new ExactDedupOptions { TrackSurvivorIds = trackSurvivorIds });

        var first = await DedupTestData.RunAsync(step, records, new DataStepContext("dedup.exact"));
        var second = await DedupTestData.RunAsync(step, records, new DataStepContext("dedup.exact"));

        Assert.Equal(expected, first.Select(r => r.Id));
        Assert.Equal(expected, second.Select(r => r.Id));
    }

    [Fact]
    public async Task Without_normalisation_only_identical_texts_are_duplicates()
    {
        var context = new DataStepContext("dedup.exact");
        var records = DedupTestData.Texts("Hello world", "hello world", "Hello  world", "Hello world", " Hello world");

        var kept = await DedupTestData.RunAsync(new ExactDedupStep(new ExactDedupOptions { Normalization = DedupNormalization.None }), records, context);

        Assert.Equal(["r0", "r1", "r2", "r4"], kept.Select(r => r.Id));
    }

    [Fact]
    public async Task Multi_field_records_compare_by_their_joined_text()
    {
        var context = new DataStepContext("dedup.exact");
        DataRecord[] records =
        [
            DataRecord.CreateInstruction("i1", "Add", "2 and 3", "5"),
            DataRecord.CreateInstruction("i2", "add ", "2  and 3", "5"),
            DataRecord.CreateInstruction("i3", "Add", "2 and 3", "6"),
            DataRecord.CreateText("t1", "add 2 and 3 5"),
        ];

        var kept = await DedupTestData.RunAsync(new ExactDedupStep(), records, context);

        Assert.Equal(["i1", "i3"], kept.Select(r => r.Id));
    }

    [Fact]
    public async Task Malformed_text_with_lone_surrogates_is_hashed_not_rejected()
    {
        var context = new DataStepContext("dedup.exact");
        var records = DedupTestData.Texts("abc\uD800 def", "ABC\uDC00  def", "abc def", "e\u0301\uD83D\uDE00");

        var kept = await DedupTestData.RunAsync(new ExactDedupStep(), records, context);

        Assert.Equal(["r0", "r2", "r3"], kept.Select(r => r.Id));
        var minhash = await DedupTestData.RunAsync(new MinHashDedupStep(), records, new DataStepContext("dedup.minhash", tempDirectory: DedupTestData.NewTempDirectory()));
        // U+FFFD separates words, so for MinHash "abc\uFFFD def" has the words of "abc def".
        Assert.Equal(["r0", "r3"], minhash.Select(r => r.Id));
    }

    [Fact]
    public void Normalisation_matches_the_string_definition()
    {
        var flags = Gen.Int[0, 15].Select(i => (DedupNormalization)i);
        var text = Gen.String[Gen.OneOf(Gen.Char["aAbBzZ"], Gen.Char[" \t\n\r\u00a0\u2003"], Gen.Char["\u00e9\u0301\u00c9\u0130\u03a3\u212b"])];
        Gen.Select(flags, text, text).Sample((normalization, first, second) =>
        {
            using var normalizer = new DedupTextNormalizer(normalization, initialCapacity: 4);
            var record = new DataRecord(RecordKind.Instruction, "x").AddField("a", first).AddField("b", second);
            Assert.Equal(Reference(record.GetText(), normalization), normalizer.NormalizeToString(record));
        });
    }

    [Fact]
    public void Parameters_and_validation()
    {
        var step = new ExactDedupStep();
        Assert.Equal("dedup.exact", step.Id);
        Assert.Equal(1, step.Version);
        Assert.Equal("nfc,lower,collapse,trim", step.Parameters["normalization"]);
        Assert.Equal("false", step.Parameters["trackSurvivorIds"]);
        Assert.NotEqual(step.Parameters["normalization"], new ExactDedupStep(new ExactDedupOptions { Normalization = DedupNormalization.LowerCase }).Parameters["normalization"]);
        Assert.Throws<ArgumentException>(() => new ExactDedupStep(new ExactDedupOptions { Normalization = (DedupNormalization)64 }));
        Assert.Throws<ArgumentNullException>(() => step.ExecuteAsync(null!, new DataStepContext("x")));
    }

    private static string Reference(string text, DedupNormalization normalization)
    {
        if (normalization.HasFlag(DedupNormalization.Nfc))
        {
            text = text.Normalize(NormalizationForm.FormC);
        }

        if (normalization.HasFlag(DedupNormalization.LowerCase))
        {
            text = text.ToLowerInvariant();
        }

        if (normalization.HasFlag(DedupNormalization.CollapseWhitespace))
        {
            text = Regex.Replace(text, @"[\s\u0085]+", " ");
        }

        if (normalization.HasFlag(DedupNormalization.Trim))
        {
            text = text.Trim();
        }

        return text;
    }
}
