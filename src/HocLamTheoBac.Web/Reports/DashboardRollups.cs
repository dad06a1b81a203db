using HocLamTheoBac.Web.Data;
using Microsoft.Extensions.Caching.Memory;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// The dashboard's roll-ups, kept for a few seconds per (unit, year) and computed once however many
/// requests arrive together (docs/adr/0009-dashboard-rollup-cache.md). Reports, issuance and exports
/// never read from here: they always compute fresh figures.
/// </summary>
public sealed class DashboardRollups(IMemoryCache cache, IServiceScopeFactory scopes, IConfiguration config)
{
    /// <summary>ReplicaAsOf: set when the figures were read from a standby (how fresh its data was).</summary>
    public sealed record Entry(RollupResult Result, DateTimeOffset ComputedAt, DateTimeOffset? ReplicaAsOf = null);

    public TimeSpan Lifetime => TimeSpan.FromSeconds(Math.Max(0, config.GetValue("Reports:DashboardCacheSeconds", 30)));

    public async Task<Entry> GetAsync(int unitId, int year, CancellationToken ct)
    {
        if (Lifetime == TimeSpan.Zero) return await ComputeAsync(unitId, year);
        var key = (nameof(DashboardRollups), unitId, year);
        var shared = cache.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = Lifetime;
            return new Lazy<Task<Entry>>(() => ComputeAsync(unitId, year), LazyThreadSafetyMode.ExecutionAndPublication);
        })!;
        try
        {
            return await shared.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            cache.Remove(key); // a failed computation is not kept
            throw;
        }
    }

    private async Task<Entry> ComputeAsync(int unitId, int year)
    {
        // Shared by every waiting request, so it runs in its own scope and is not cancelled by one of them.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        var asOf = await Infrastructure.StandbyReads.AsOfAsync(db, CancellationToken.None);
        var result = await Rollup.ComputeAsync(db, unitId, year, CancellationToken.None);
        return new Entry(result, db.Clock.Now, asOf);
    }
}
