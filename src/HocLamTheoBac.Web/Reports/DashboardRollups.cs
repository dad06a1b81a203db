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
public sealed class DashboardRollups(ILogger<DashboardRollups> log)
{
    /// <summary>How often the site removes change-log rows older than every running transaction.</summary>
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(30);

    private long lastPrune = long.MinValue;
    private long prunes;

    /// <summary>How many prunes of the change log succeeded since the site started.</summary>
    public long Prunes => Interlocked.Read(ref prunes);

    /// <summary>The roll-ups kept between requests (tests read its counters).</summary>
    public RollupMemo Memo { get; } = new();

    /// <summary>ReplicaAsOf: set when the figures were read from a standby (how fresh its data was). Trend: the subtree's
    /// totals of the years before (<see cref="Rollup.TotalsAsync"/>: null for a year with nothing recorded).</summary>
    public sealed record Entry(RollupHead Result, DateTimeOffset ComputedAt, DateTimeOffset? ReplicaAsOf, IReadOnlyDictionary<int, Figures?> Trend);

    /// <summary>
    /// The unit's totals and its direct children's (<see cref="Rollup.ChildrenAsync"/>: what the dashboard shows, not every
    /// unit's) and the subtree's totals of the <paramref name="earlier"/> years (the trend), in one snapshot
    /// (<see cref="Rollup.DashboardAsync"/>), on the request's own context for these reads (<paramref name="services"/>: the
    /// request's services; the standby's context when the operator allows it).
    /// </summary>
    public async Task<Entry> GetAsync(IServiceProvider services, int unitId, int year, IReadOnlyCollection<int> earlier, CancellationToken ct)
    {
        var db = services.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key);
        var asOf = Infrastructure.StandbyReads.MayReadStandby(services, db) ? await Infrastructure.StandbyReads.AsOfAsync(db, ct) : null;
        var (head, trend) = await Rollup.DashboardAsync(db, unitId, year, earlier, ct, Memo);
        await PruneAsync(services, ct);
        return new Entry(head, db.Clock.Now, asOf, trend);
    }

    /// <summary>Whether this request's figures may come from a standby (<c>Database:ReadFromStandby</c>): then they are read
    /// through the keyed context (<see cref="GetAsync(IServiceProvider, int, int, IReadOnlyCollection{int}, CancellationToken)"/>).</summary>
    public static bool ReadsStandby(IServiceProvider services) =>
        Infrastructure.StandbyReads.MayReadStandby(services, services.GetRequiredKeyedService<AppDbContext>(Infrastructure.StandbyReads.Key));

    /// <summary>
    /// The same figures on a connection of the site's data source to the primary, without EF's per-request context (the
    /// dashboard's view when it does not read from a standby: docs/performance.md, DASH17), the page's own statements
    /// (<paramref name="alongside"/>, read by <paramref name="readAlongside"/>) in the roll-up's first round trip
    /// (<see cref="Rollup.DashboardAsync(NpgsqlConnection, Domain.VietnamCalendar, int, int, IReadOnlyCollection{int}, RollupMemo, IReadOnlyList{NpgsqlBatchCommand}, Func{NpgsqlDataReader, CancellationToken, Task{bool}}, CancellationToken)"/>).
    /// Null when <paramref name="readAlongside"/> answered false.
    /// </summary>
    public async Task<Entry?> GetAsync(IServiceProvider services, NpgsqlConnection conn, Domain.VietnamCalendar clock, int unitId, int year, IReadOnlyCollection<int> earlier,
        IReadOnlyList<NpgsqlBatchCommand> alongside, Func<NpgsqlDataReader, CancellationToken, Task<bool>> readAlongside, CancellationToken ct)
    {
        if (await Rollup.DashboardAsync(conn, clock, unitId, year, earlier, Memo, alongside, readAlongside, ct) is not var (head, trend)) return null;
        await PruneAsync(services, ct);
        return new Entry(head, clock.Now, null, trend);
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
