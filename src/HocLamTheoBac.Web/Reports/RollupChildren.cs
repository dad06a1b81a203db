using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// What the dashboard shows of a roll-up: the unit's totals and its direct children's (<see cref="Rollup.ChildrenAsync"/>).
/// </summary>
public sealed record RollupHead(int Year, DateOnly AsOf, UnitFigures? Root, IReadOnlyList<UnitFigures> Children)
{
    public Figures Totals => Root?.Figures ?? new Figures();
}

// The narrow form of the roll-up for the dashboard, beside Rollup.ComputeAsync (Reports/Rollup.cs, owned with the
// aggregates): the same read of each unit's own figures (ReadAsync: the aggregates' rows, added up by the counting rules
// of Domain/), then one sum per direct child instead of one per ancestor, without the indicators.
public static partial class Rollup
{
    /// <summary>
    /// The unit's totals and each direct child's, as of <see cref="AsOfFor"/>: the same figures as
    /// <see cref="ComputeAsync(AppDbContext, int, int, CancellationToken)"/>'s <see cref="RollupResult.Root"/> and
    /// <see cref="RollupResult.Children"/> (children in the same order), without the other units' figures or the
    /// indicators. The root's totals are the sum of its own row and its children's subtrees.
    /// </summary>
    public static async Task<RollupHead> ChildrenAsync(AppDbContext db, int unitId, int year, CancellationToken ct, RollupMemo? memo = null)
    {
        var asOf = db.Clock.AsOf(year);
        return await db.OnConnectionAsync(async conn =>
        {
            await using var reading = await OpenAsync(db, conn, unitId, [year], [asOf], ct, memo);
            if (reading.Roots.Years.Length == 0) return new RollupHead(year, asOf, null, []);
            var read = await reading.ReadAsync(conn, HeadShape, year, ct);
            return Head(read, reading.Roots, unitId, year, asOf);
        }, ct);
    }

    /// <summary>
    /// The dashboard's two reads in one snapshot: <see cref="ChildrenAsync"/> of <paramref name="year"/> and
    /// <see cref="TotalsAsync"/> of <paramref name="earlier"/> years (its trend), the same figures as each gives alone, read
    /// in one transaction: the root's path on every as-of day in one statement, and the changes since the kept reads in one
    /// round trip (ADR 0027).
    /// </summary>
    public static async Task<(RollupHead Head, IReadOnlyDictionary<int, Figures?> Trend)> DashboardAsync(AppDbContext db, int unitId, int year,
        IReadOnlyCollection<int> earlier, CancellationToken ct, RollupMemo? memo = null)
    {
        var asOf = db.Clock.AsOf(year);
        var ys = earlier.Distinct().Order().ToArray();
        if (ys.Contains(year)) throw new ArgumentException("The trend's years come before the year shown.", nameof(earlier));
        var trend = ys.ToDictionary(y => y, _ => (Figures?)new Figures());
        var all = ys.Append(year).Order().ToArray();
        return await db.OnConnectionAsync(async conn =>
        {
            await using var reading = await OpenAsync(db, conn, unitId, all, [.. all.Select(y => y == year ? asOf : db.Clock.AsOf(y))], ct, memo);
            return await HeadAndTrendAsync(conn, reading, unitId, year, asOf, trend, ct);
        }, ct);
    }

    /// <summary>
    /// <see cref="DashboardAsync(AppDbContext, int, int, IReadOnlyCollection{int}, CancellationToken, RollupMemo?)"/> on a
    /// connection of the site's data source, without EF's per-request context (the dashboard's view: docs/performance.md,
    /// DASH17): the same reads through <paramref name="memo"/>, in a repeatable-read transaction of its own. The page's own
    /// statements (<paramref name="alongside"/>) go in the first round trip, before the root's paths, and are read first
    /// by <paramref name="readAlongside"/> (the reader on their first result, left on their last); when it answers false
    /// (a unit the user may not see) nothing more is read and the result is null.
    /// </summary>
    internal static async Task<(RollupHead Head, IReadOnlyDictionary<int, Figures?> Trend)?> DashboardAsync(NpgsqlConnection conn, VietnamCalendar clock,
        int unitId, int year, IReadOnlyCollection<int> earlier, RollupMemo memo, IReadOnlyList<NpgsqlBatchCommand> alongside,
        Func<NpgsqlDataReader, CancellationToken, Task<bool>> readAlongside, CancellationToken ct)
    {
        var asOf = clock.AsOf(year);
        var ys = earlier.Distinct().Order().ToArray();
        if (ys.Contains(year)) throw new ArgumentException("The trend's years come before the year shown.", nameof(earlier));
        var trend = ys.ToDictionary(y => y, _ => (Figures?)new Figures());
        var all = ys.Append(year).Order().ToArray();
        var own = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        Roots roots;
        try
        {
            await using var batch = conn.CreateBatch();
            foreach (var c in alongside) batch.BatchCommands.Add(c);
            batch.BatchCommands.Add(RootsCommand(unitId, all, [.. all.Select(y => y == year ? asOf : clock.AsOf(y))]));
            await using var r = await batch.ExecuteReaderAsync(ct);
            if (alongside.Count > 0)
            {
                if (!await readAlongside(r, ct))
                {
                    await own.DisposeAsync();
                    return null;
                }
                await r.NextResultAsync(ct);
            }
            roots = await ReadRootsAsync(r, ct);
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
        await using var reading = new Reading(roots, own, memo);
        return await HeadAndTrendAsync(conn, reading, unitId, year, asOf, trend, ct);
    }

    /// <summary>The head of <paramref name="year"/> and the trend's totals, read through <paramref name="reading"/> (<see cref="DashboardAsync(AppDbContext, int, int, IReadOnlyCollection{int}, CancellationToken, RollupMemo?)"/>).</summary>
    private static async Task<(RollupHead Head, IReadOnlyDictionary<int, Figures?> Trend)> HeadAndTrendAsync(NpgsqlConnection conn, Reading reading,
        int unitId, int year, DateOnly asOf, Dictionary<int, Figures?> trend, CancellationToken ct)
    {
        {
            var headRoots = reading.Roots.Where(y => y == year);
            var trendRoots = reading.Roots.Where(y => y != year);
            foreach (var y in trendRoots.Years) trend[y] = null; // the unit stood in the tree: null unless something was recorded
            var asks = new List<KeptAsk>();
            if (headRoots.Years.Length > 0) asks.Add(new KeptAsk(headRoots, HeadShape, year));
            if (trendRoots.Years.Length > 0) asks.Add(new KeptAsk(trendRoots, TotalsShape, null));
            var reads = await reading.ReadAsync(conn, asks, ct);
            // Derived once per read: a read served as kept is the same object, and so are the sums made from it.
            var head = headRoots.Years.Length == 0 ? new RollupHead(year, asOf, null, [])
                : HeadsOf.GetValue(reads[0], read => MakeHead(read, headRoots, unitId, year, asOf)).Head;
            if (trendRoots.Years.Length > 0)
                foreach (var (y, f) in TotalsOf.GetValue(reads[^1], read => { var t = new Dictionary<int, Figures?>(); AddTotals(t, read); return t; }))
                    trend[y] = f;
            return (head, (IReadOnlyDictionary<int, Figures?>)trend);
        }
    }

    /// <summary>
    /// The head and the totals made from a read (<see cref="DashboardAsync"/>), kept with the read while it lives: a read
    /// is the figures of one unit, year and as-of day (its memo key, ADR 0027), so what is made from it is the same each
    /// time it is served as kept; a read again (a change) is a new object.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ReadResult, HeadMade> HeadsOf = new();

    /// <summary>A head with the sums it was made from: each direct child's (and the root's own row's) and the root's total.</summary>
    private sealed record HeadMade(RollupHead Head, int UnitId, int Depth, Dictionary<int, int[]> Sums, int[] Total);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ReadResult, Dictionary<int, Figures?>> TotalsOf = new();

    /// <summary>What <see cref="ChildrenAsync"/> reads: the units' names, in no order, without the indicators.</summary>
    private static readonly ReadShape HeadShape = new(Names: true, Ordered: false, Indicators: false, RecordedOnly: false);

    /// <summary>The unit's totals and each direct child's from a read of <paramref name="year"/> (<see cref="ChildrenAsync"/>).</summary>
    private static RollupHead Head(ReadResult read, Roots roots, int unitId, int year, DateOnly asOf)
    {
        var (_, sums, total) = Sums(read.Years[year], roots, unitId);
        return Head(read, unitId, year, asOf, sums, total);
    }

    /// <summary>
    /// <see cref="Head(ReadResult, Roots, int, int, DateOnly)"/> for the dashboard: when the read was made from a kept read
    /// by replacing some units' rows (<see cref="ReadResult.From"/>, ADR 0027) and that read's head was made, its sums
    /// brought up to date by the replaced rows' differences (a few units) instead of added up again over the subtree.
    /// </summary>
    private static HeadMade MakeHead(ReadResult read, Roots roots, int unitId, int year, DateOnly asOf)
    {
        var from = read.From;
        int depth;
        Dictionary<int, int[]> sums;
        int[] total;
        if (from is var (prev, replaced) && HeadsOf.TryGetValue(prev, out var made) && made.UnitId == unitId && made.Head.Year == year && made.Head.AsOf == asOf)
        {
            depth = made.Depth;
            sums = new Dictionary<int, int[]>(made.Sums.Count);
            foreach (var (id, v) in made.Sums) sums[id] = (int[])v.Clone();
            total = (int[])made.Total.Clone();
            foreach (var (old, now) in replaced.GetValueOrDefault(year) ?? [])
            {
                var v = sums[now.Labels.Length == depth ? now.Id : now.Labels[depth]];
                for (var c = 0; c < v.Length; c++)
                {
                    v[c] = checked(v[c] - old.Own[c] + now.Own[c]);
                    total[c] = checked(total[c] - old.Own[c] + now.Own[c]);
                }
            }
        }
        else (depth, sums, total) = Sums(read.Years[year], roots, unitId);
        read.From = null; // derived: the read before it need not be kept alive
        return new HeadMade(Head(read, unitId, year, asOf, sums, total), unitId, depth, sums, total);
    }

    /// <summary>Each unit's own figures added to the direct child of the root its path passes through (the root's own to the root).</summary>
    private static (int Depth, Dictionary<int, int[]> Sums, int[] Total) Sums(YearRows rows, Roots roots, int unitId)
    {
        var depth = rows.TryFind(unitId, out var self) ? self.Labels.Length : roots.Paths[0].Split('.').Length;
        var sums = new Dictionary<int, int[]>();
        var total = new int[Columns.Length];
        foreach (var u in rows.Units)
        {
            var at = u.Labels.Length == depth ? u.Id : u.Labels[depth];
            if (!sums.TryGetValue(at, out var v)) sums[at] = v = new int[Columns.Length];
            for (var c = 0; c < v.Length; c++)
            {
                v[c] = checked(v[c] + u.Own[c]);
                total[c] = checked(total[c] + u.Own[c]);
            }
        }
        return (depth, sums, total);
    }

    private static RollupHead Head(ReadResult read, int unitId, int year, DateOnly asOf, Dictionary<int, int[]> sums, int[] total)
    {
        var rows = read.Years[year];
        UnitFigures? root = null;
        var children = new List<UnitFigures>();
        foreach (var (id, v) in sums)
        {
            if (!rows.TryFind(id, out var u)) continue;
            var k = read.Kinds[u.KindId];
            var row = new UnitFigures(u.Id, u.Parent, u.Code!, u.Name!, k.Name, k.Symbol, k.IsBranch, u.Labels.Length, ToFigures(id == unitId ? total : v));
            if (id == unitId) root = row;
            else children.Add(row);
        }
        return new RollupHead(year, asOf, root, [.. UnitFigures.InSiblingOrder(children, u => u.Code)]);
    }
}
