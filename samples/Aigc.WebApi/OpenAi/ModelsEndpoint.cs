using Aigc.WebApi.Serving;

namespace Aigc.WebApi.OpenAi;

/// <summary><c>GET /v1/models</c>: every id a request may send as <c>model</c>: each served model and each of its LoRA adapters.</summary>
internal static class ModelsEndpoint
{
    public static async Task<IResult> HandleAsync(IServedModels models, HttpContext context)
    {
        var data = new List<ModelInfo>();
        foreach (var model in await models.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            var created = model.LoadedAt.ToUnixTimeSeconds();
            data.Add(new ModelInfo(model.Id, created, model.Id, model.Version, null));
            foreach (var adapter in model.Adapters)
            {
                data.Add(new ModelInfo(model.AdapterId(adapter), created, model.Id, model.Version, adapter));
            }
        }

        return Results.Json(new ModelList(data), OpenAiJson.Options);
    }
}
