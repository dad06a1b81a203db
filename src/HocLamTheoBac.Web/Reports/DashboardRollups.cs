using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// The dashboard's roll-up, as of the request: each unit's own figures are kept between requests and brought up to date
/// at each one from the change log, in the request's snapshot (<see cref="RollupMemo"/>,
/// docs/adr/0027-dashboard-rollup-kept-in-the-site.md; no time-based cache: ADR 0018), read from the standby when
/// <c>Database:ReadFromStandby</c> is set (ADR 0013, Infrastructure/StandbyReads.cs) and then stating up to when the
/// standby's data is current.
/// </summary>
public sealed class DashboardRollups(IServiceScopeFactory scopes, ILogger<DashboardRollups> log)
{
    /// <summary>How often the site removes change-log rows older than every running transaction.</summary>
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(30);

    private long lastPrune = long.MinValue;
    private long prunes;

    /// <summary>How many prunes of the change log succeeded since the site started.</summary>
    public long Prunes => Interlocked.Read(ref prunes);

    /// <summary>The roll-ups kept between requests (tests read its counters).</summary>
    public RollupMemo Memo { get; } = new();

    /// <summary>ReplicaAsOf: set when the figures were read from a standby (how fresh its data was).</summary>
    public sealed record Entry(RollupHead Result, DateTimeOffset ComputedAt, DateTimeOffset? ReplicaAsOf = null);

    /// <summary>The unit's totals and its direct children's (<see cref="Rollup.ChildrenAsync"/>: what the dashboard shows, not every unit's).</summary>
    public async Task<Entry> GetAsync(int unitId, int year, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        var asOf = await Infrastructure.StandbyReads.AsOfAsync(db, ct);
        var result = await Rollup.ChildrenAsync(db, unitId, year, ct, Memo);
        await PruneAsync(scope.ServiceProvider, ct);
        return new Entry(result, db.Clock.Now, asOf);
    }

    /// <summary>The subtree's totals for several years, in one statement (<see cref="Rollup.TotalsAsync"/>), from the same connection choice.</summary>
    public async Task<IReadOnlyDictionary<int, Figures?>> TotalsAsync(int unitId, IReadOnlyCollection<int> years, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        return await Rollup.TotalsAsync(db, unitId, years, ct, Memo);
    }

    /// <summary>
    /// At most every <see cref="PruneEvery"/>: the change log's rows older than every running transaction removed, on
    /// the primary (<see cref="RollupChangesSql.Prune"/>). A failure is logged, never shown: the figures do not depend on it.
    /// </summary>
    internal async Task PruneAsync(IServiceProvider services, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastPrune);
        if (last != long.MinValue && now - last < PruneEvery.TotalMilliseconds) return;
        if (Interlocked.CompareExchange(ref lastPrune, now, last) != last) return;
        try
        {
            var db = services.GetRequiredService<AppDbContext>();
            await db.Database.ExecuteSqlRawAsync(RollupChangesSql.Prune, ct);
            Interlocked.Increment(ref prunes);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            log.LogWarning(e, "Pruning rollup_changes failed");
        }
    }
}
