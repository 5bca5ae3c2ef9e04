using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class FusedLmHeadLossTests
{
    private static (Tensor Ids, Tensor Mask, Tensor Positions, Tensor Labels) Batch()
    {
        var ids = torch.randint(0, SyntheticCorpus.Vocab, [3, 20], dtype: ScalarType.Int64);
        var labels = ids.clone();
        labels[0, ..7] = torch.tensor(RecordTokenizer.IgnoreIndex);
        labels[2, 12..] = torch.tensor(RecordTokenizer.IgnoreIndex);
        var positions = torch.arange(20, dtype: ScalarType.Int64).unsqueeze(0).expand(3, 20);
        return (ids, torch.ones(3, 20, dtype: ScalarType.Int64), positions, labels);
    }

    private static Dictionary<string, Tensor> Gradients(ITrainableLanguageModel model)
    {
        var gradients = model.TrainableParameters().ToDictionary(p => p.Name, p => p.Parameter.grad!.clone());
        foreach (var (_, parameter) in model.TrainableParameters())
        {
            parameter.grad!.zero_();
        }

        return gradients;
    }

    public static TheoryData<string> Methods => new() { "full", "lora" };

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_fused_head_and_loss_give_the_loss_and_gradients_of_the_logits_path(string method)
    {
        torch.manual_seed(6);
        var gpt = new Gpt2LanguageModel(SyntheticCorpus.Config);
        ITrainableLanguageModel model = method == "full" ? new FullFineTuningModel(gpt) : LoraModel.Create(gpt, new LoraConfig { Rank = 4, TargetModules = ["c_attn", "c_fc"] });
        if (model is LoraModel lora)
        {
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in lora.TrainableParameters().Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)))
            {
                parameter.normal_(0, 0.1);
            }
        }

        var (ids, mask, positions, labels) = Batch();
        const double scale = 1.0 / 40;

        var expectedLoss = CausalLmLoss.Compute(model.ComputeLogits(ids, mask, positions), labels, nn.Reduction.Sum);
        expectedLoss.mul(scale).backward();
        var expected = Gradients(model);

        // Chunks of 7 rows (60 rows in all): the last chunk is short, and chunk edges cut through sequences.
        var hidden = model.Model.ForwardHidden(ids, mask, positions, null, out _);
        var (loss, surrogate) = FusedLmHeadLoss.Compute(hidden, model.Model.TokenEmbedding, labels, scale, chunkBytes: 7 * SyntheticCorpus.Vocab * sizeof(float));
        surrogate!.backward();
        var actual = Gradients(model);

        Assert.Equal(expectedLoss.item<float>(), loss, 3);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, gradient) in expected)
        {
            var tolerance = 1e-5 + (1e-4 * gradient.abs().max().item<float>());
            var difference = (gradient - actual[name]).abs().max().item<float>();
            Assert.True(difference <= tolerance, $"{name}: gradients differ by {difference:G3}");
        }

        Assert.Contains(expected.Values, g => g.abs().max().item<float>() > 1e-4);
        Assert.Equal(loss, CausalLmLoss.Sum(model, ids, mask, positions, labels), 3);
    }
}
