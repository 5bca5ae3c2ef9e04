using Aigc.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Monitoring.Tests.Feedback;

public sealed class FeedbackServiceCollectionTests
{
    [Fact]
    public async Task AddFeedbackStore_registers_the_sqlite_store_and_the_hasher()
    {
        var path = Path.Combine(Path.GetTempPath(), "aigc-feedback-di-" + Guid.NewGuid().ToString("N") + ".db");
        var services = new ServiceCollection();
        services.AddAigc().AddFeedbackStore(o =>
        {
            o.SqlitePath = path;
            o.UserKeySalt = "0123456789abcdef";
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<SqliteFeedbackStore>(provider.GetRequiredService<IFeedbackStore>());
            Assert.Equal(path, store.DatabasePath);
            Assert.Equal(64, provider.GetRequiredService<UserKeyHasher>().Hash("bob").Length);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
