using HocLamTheoBac.Web.Data;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// The dashboard's roll-up, as of the request (docs/adr/0018-incremental-aggregates.md: no cache since the roll-up
/// reads the aggregates), read from the standby when <c>Database:ReadFromStandby</c> is set (ADR 0013,
/// Infrastructure/StandbyReads.cs) and then stating up to when the standby's data is current.
/// </summary>
public sealed class DashboardRollups(IServiceScopeFactory scopes)
{
    /// <summary>ReplicaAsOf: set when the figures were read from a standby (how fresh its data was).</summary>
    public sealed record Entry(RollupHead Result, DateTimeOffset ComputedAt, DateTimeOffset? ReplicaAsOf = null);

    /// <summary>The unit's totals and its direct children's (<see cref="Rollup.ChildrenAsync"/>: what the dashboard shows, not every unit's).</summary>
    public async Task<Entry> GetAsync(int unitId, int year, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        var asOf = await Infrastructure.StandbyReads.AsOfAsync(db, ct);
        var result = await Rollup.ChildrenAsync(db, unitId, year, ct);
        return new Entry(result, db.Clock.Now, asOf);
    }

    /// <summary>The subtree's totals for several years, in one statement (<see cref="Rollup.TotalsAsync"/>), from the same connection choice.</summary>
    public async Task<IReadOnlyDictionary<int, Figures?>> TotalsAsync(int unitId, IReadOnlyCollection<int> years, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        return await Rollup.TotalsAsync(db, unitId, years, ct);
    }
}
