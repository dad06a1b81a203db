using System.Data.Common;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

/// <summary>The year's figures of one unit, summed over its subtree (or its own rows only, see <see cref="UnitFigures"/>).</summary>
public sealed record Figures
{
    public int Members { get; init; }
    public int MembersWithPlan { get; init; }
    public int PledgesRegistered { get; init; }
    public int PledgesDone { get; init; }
    public int PledgesOverdue { get; init; }
    public int CollectiveRegistered { get; init; }
    public int CollectiveDone { get; init; }
    public int ModelsCollective { get; init; }
    public int ModelsExemplar { get; init; }
    public int ModelsRecognised { get; init; }
    public int QuotaCollective { get; init; }
    public int QuotaExemplar { get; init; }
    public int Replications { get; init; }
    public int Praises { get; init; }
    public int Certificates { get; init; }
    public int Merits { get; init; }
    public int StudySessions { get; init; }
    public int AttendancePresent { get; init; }
    public int AttendanceRecorded { get; init; }
    public int ProblemsRegistered { get; init; }
    public int ProblemsResolved { get; init; }
    public int LeaderTasks { get; init; }
    public int LeaderTasksDone { get; init; }
    public int Plans { get; init; }

    public Rate PlanRate => new(MembersWithPlan, Members);
    public Rate PledgeRate => new(PledgesDone, PledgesRegistered);
    public Rate CollectiveRate => new(CollectiveDone, CollectiveRegistered);
    public Rate AttendanceRate => new(AttendancePresent, AttendanceRecorded);
    public Rate ProblemRate => new(ProblemsResolved, ProblemsRegistered);
    public Rate LeaderTaskRate => new(LeaderTasksDone, LeaderTasks);
    public int Commendations => Praises + Certificates + Merits;
}

public sealed record UnitFigures(int UnitId, int? ParentId, string Code, string Name, string KindName, string Symbol, bool IsBranch, int Depth, Figures Figures);

public sealed record IndicatorTotal(string Name, string? Unit, decimal Value);

/// <summary>The roll-up of a unit's subtree for a year, grouped by the tree as it stood on <see cref="AsOf"/>.</summary>
public sealed record RollupResult(int Year, DateOnly AsOf, UnitFigures? Root, IReadOnlyList<UnitFigures> Children, IReadOnlyList<UnitFigures> All, IReadOnlyList<IndicatorTotal> Indicators)
{
    public Figures Totals => Root?.Figures ?? new Figures();
    public IEnumerable<UnitFigures> ChildrenOf(int unitId) => All.Where(u => u.ParentId == unitId);
}

/// <summary>
/// Year-end figures for a unit and every unit of its subtree, set-based in PostgreSQL: the tree is
/// the placements valid on 31/12 of the year (today for the current year, ADR 0004); each unit's own
/// figures are read from the aggregates the database keeps exact in every writing transaction
/// (Data/AggregateSql.cs, ADR 0018: per branch and as-of window for members and pledges, per unit for
/// the other records), filtered by the status sets of Domain/CountingRules.cs passed as parameters,
/// then added in C# to each unit of its ltree path that stands in the tree. The current year reads the year-end rows
/// too for every branch whose figures cannot change between the as-of day and 31/12 (ADR 0018, "The open year").
/// Quotas are still counted at query time. Three queries in all (the root's path, the figures, the indicators),
/// whatever the size of the subtree.
/// Counting rules: docs/adr/0006-year-end-counting-rules.md.
/// </summary>
public static partial class Rollup
{
    /// <summary>The as-of day of a year's figures: 31/12, or today (Vietnam) while the year is under way.</summary>
    public static DateOnly AsOfFor(int year, VietnamCalendar calendar) => calendar.AsOf(year);

    private static readonly string[] Columns =
    [
        "members", "with_plan", "pl_reg", "pl_done", "pl_overdue", "co_reg", "co_done", "mo_col", "mo_ex", "mo_rec",
        "q_col", "q_ex", "repl", "praise", "cert", "merit", "sessions", "att_present", "att_recorded",
        "pr_reg", "pr_res", "lt", "lt_done", "plans",
    ];

    /// <summary>
    /// The years asked (<c>@ys</c>, each with its as-of day in <c>@ds</c>), whether each is kept in the aggregates and
    /// whether its as-of day is 31/12; then, per year, the tree as it stood on that day under the unit, whose path on
    /// that day (<c>@r0</c>…) was read first (<see cref="RootsAsync"/>): one branch per year with the day and path as
    /// values, so the planner estimates the subtree's size from the statistics of <c>org_placements.path</c>.
    /// </summary>
    private static string TreeSql(int years) => $$"""
        WITH RECURSIVE yrs AS (
            SELECT x.y, x.d, x.d = make_date(x.y, 12, 31) AS at_end, EXISTS (SELECT 1 FROM agg_years k WHERE k.year = x.y) AS kept
            FROM unnest(@ys::int[], @ds::date[]) AS x(y, d)
        ), tree AS (
            {{(years == 0 ? "SELECT 0 AS y, 0 AS id, NULL::int AS parent_id, NULL::ltree AS path WHERE false"
                : string.Join("\n    UNION ALL\n    ", Enumerable.Range(0, years).Select(i =>
                    $"SELECT @y{i}::int AS y, p.org_unit_id AS id, p.parent_id, p.path FROM org_placements p WHERE p.valid_from <= @d{i} AND (p.valid_to IS NULL OR p.valid_to > @d{i}) AND p.path <@ @r{i}::ltree")))}}
        ), chain AS (
            -- Units gone by the as-of day (merged or closed with a successor) and the successor chain that follows them
            SELECT yr.y, u.id AS orig, u.merged_into_id AS cur, 1 AS n FROM yrs yr JOIN org_units u
            ON u.merged_into_id IS NOT NULL AND u.closed_on <= yr.d
            UNION ALL
            SELECT c.y, c.orig, u.merged_into_id, c.n + 1 FROM chain c JOIN yrs yr ON yr.y = c.y JOIN org_units u ON u.id = c.cur
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= yr.d AND c.n < 50
        ), held AS (
            -- Who a study session counts for: the unit that held it, or the first successor of that unit in the tree
            SELECT t.y, t.id AS holder, t.id AS counted_in FROM tree t
            UNION ALL
            SELECT * FROM (SELECT DISTINCT ON (c.y, c.orig) c.y, c.orig, t.id FROM chain c JOIN tree t ON t.y = c.y AND t.id = c.cur
                           ORDER BY c.y, c.orig, c.n) first_in_tree
        )
        """;

    /// <summary>The unit's path on each as-of day (years in which it did not stand in the tree are left out).</summary>
    private const string RootsSql = """
        SELECT DISTINCT ON (x.y) x.y, x.d, p.path::text
        FROM unnest(@ys::int[], @ds::date[]) AS x(y, d)
        JOIN org_placements p ON p.org_unit_id = @unit AND p.valid_from <= x.d AND (p.valid_to IS NULL OR p.valid_to > x.d)
        ORDER BY x.y, p.valid_from DESC
        """;

    /// <summary>Each unit's own figures per year asked (<c>own</c>: y, id, path and the 24 columns), before any sum over the tree.</summary>
    private static string OwnSql(int years, bool recordedOnly = false) => TreeSql(years) + """
        , it AS (
            -- The unit's own yearly records by status, kind, level or outcome (kept by the same triggers); study sessions
            -- and their attendance also those of units gone by the as-of day, for their first successor in the tree
            -- (held). Attendance (AttendanceRules): the members expected at the unit's sessions by mark (k1; 0 = none);
            -- rate = present / (expected − excused).
            SELECT h.y, h.counted_in AS id,
                sum(a.n) FILTER (WHERE a.item = @i_co AND a.unit_id = h.counted_in) AS co_reg,
                sum(a.n) FILTER (WHERE a.item = @i_co AND a.unit_id = h.counted_in AND a.k1 = @co_done) AS co_done,
                sum(a.n) FILTER (WHERE a.item = @i_co AND a.unit_id = h.counted_in AND a.k2 = @co_problem) AS co_pr_reg,
                sum(a.n) FILTER (WHERE a.item = @i_co AND a.unit_id = h.counted_in AND a.k2 = @co_problem AND a.k1 = @co_done) AS co_pr_res,
                sum(a.n) FILTER (WHERE a.item = @i_mo AND a.unit_id = h.counted_in AND a.k1 = @mo_col) AS mo_col,
                sum(a.n) FILTER (WHERE a.item = @i_mo AND a.unit_id = h.counted_in AND a.k1 = @mo_ex) AS mo_ex,
                sum(a.n) FILTER (WHERE a.item = @i_mo AND a.unit_id = h.counted_in AND a.k2 = @mo_rec) AS mo_rec,
                sum(a.n) FILTER (WHERE a.item = @i_re AND a.unit_id = h.counted_in) AS repl,
                sum(a.n) FILTER (WHERE a.item = @i_cm AND a.unit_id = h.counted_in AND a.k1 = @cm_praise) AS praise,
                sum(a.n) FILTER (WHERE a.item = @i_cm AND a.unit_id = h.counted_in AND a.k1 = @cm_cert) AS cert,
                sum(a.n) FILTER (WHERE a.item = @i_cm AND a.unit_id = h.counted_in AND a.k1 = @cm_merit) AS merit,
                sum(a.n) FILTER (WHERE a.item = @i_ss) AS sessions,
                sum(a.n) FILTER (WHERE a.item = @i_at AND a.k1 = @att_present) AS att_present,
                sum(a.n) FILTER (WHERE a.item = @i_at AND a.k1 <> @att_excused) AS att_recorded,
                sum(a.n) FILTER (WHERE a.item = @i_pr AND a.unit_id = h.counted_in) AS pr_reg,
                sum(a.n) FILTER (WHERE a.item = @i_pr AND a.unit_id = h.counted_in AND a.k1 = @pr_resolved) AS pr_res,
                sum(a.n) FILTER (WHERE a.item = @i_lt AND a.unit_id = h.counted_in) AS lt,
                sum(a.n) FILTER (WHERE a.item = @i_lt AND a.unit_id = h.counted_in AND a.k1 = @lt_done) AS lt_done,
                sum(a.n) FILTER (WHERE a.item = @i_py AND a.unit_id = h.counted_in) AS plans
            FROM agg_unit_items a JOIN held h ON h.holder = a.unit_id AND a.year = h.y
            GROUP BY h.y, h.counted_in
        ), recorded AS (
            -- Years with something to count in the subtree: kept (pledges somewhere) or with a unit record
            SELECT yr.y, yr.kept OR EXISTS (SELECT 1 FROM it WHERE it.y = yr.y) AS yes FROM yrs yr
        ), bounded AS (
            -- Branches whose figures on the as-of day may differ from their figures on 31/12: an as-of window of one of
            -- their members starts or ends after the as-of day and by 31/12 (a future-dated admission, transfer or
            -- departure). Every other branch holds on the as-of day exactly the windows it holds on 31/12, so its
            -- year-end rows are its figures on that day too (ADR 0018, "The open year"). Read through the partial indexes
            -- on the windows' finite bounds: a handful of rows, not the year's windows.
            SELECT yr.y, a.unit_id FROM yrs yr JOIN agg_unit_figures a ON a.year = yr.y
            WHERE yr.kept AND NOT yr.at_end AND a.from_day <> '-infinity'::date AND a.from_day > yr.d AND a.from_day <= make_date(yr.y, 12, 31)
            UNION
            SELECT yr.y, a.unit_id FROM yrs yr JOIN agg_unit_figures a ON a.year = yr.y
            WHERE yr.kept AND NOT yr.at_end AND a.to_day <> 'infinity'::date AND a.to_day > yr.d AND a.to_day <= make_date(yr.y, 12, 31)
        ), fig AS (
            -- Members and their pledges per branch, kept exact by the database (Data/AggregateSql.cs, ADR 0018): a member's
            -- pledges of the year count in the branch where the member stands on the as-of day, or where they are kept when
            -- the member stands nowhere that day (ADR 0006). The year-end rows (one per branch, kind, key and deadline) on
            -- 31/12, and on an earlier day for every branch not bounded (above); a bounded branch reads the rows of every
            -- as-of window that holds the day ...
            SELECT t.y, a.unit_id, a.kind, a.key, a.day, a.n
            FROM yrs yr JOIN tree t ON t.y = yr.y JOIN agg_unit_yearend a ON a.year = t.y AND a.unit_id = t.id
            WHERE yr.kept AND (yr.at_end OR NOT EXISTS (SELECT 1 FROM bounded b WHERE b.y = t.y AND b.unit_id = t.id))
            UNION ALL
            SELECT t.y, a.unit_id, a.kind, a.key, a.day, a.n
            FROM yrs yr JOIN bounded b ON b.y = yr.y JOIN tree t ON t.y = b.y AND t.id = b.unit_id
            JOIN agg_unit_figures a ON a.year = t.y AND a.unit_id = t.id
            WHERE a.from_day <= yr.d AND a.to_day > yr.d
            UNION ALL
            -- ... or, for a year not kept yet: it has no pledge (a year is kept from its first pledge; agg_differences()
            -- checks it), so agg_contribution() of its members comes down to one row per branch period, kind 1, key 0 (no
            -- pledge), counted on the days the period covers: the periods covering the as-of day, counted now.
            SELECT t.y, t.id, 1::smallint, 0, 'infinity'::date, count(*)::int
            FROM yrs yr JOIN tree t ON t.y = yr.y JOIN member_branch_periods mp ON mp.branch_id = t.id
            WHERE NOT yr.kept AND mp.valid_from <= yr.d AND (mp.valid_to IS NULL OR mp.valid_to > yr.d)
        """ + (recordedOnly ? "\n    AND (SELECT r.yes FROM recorded r WHERE r.y = yr.y)" : "") + """
            GROUP BY t.y, t.id
        ), pl AS (
            SELECT f.y, f.unit_id AS id,
                sum(f.n) FILTER (WHERE f.kind = 1) AS members,
                sum(f.n) FILTER (WHERE f.kind = 1 AND f.key & @registered_mask <> 0) AS with_plan,
                -- status sets as bit masks (bit s = status s): one shift per row instead of an array search
                sum(f.n) FILTER (WHERE f.kind = 2 AND (@registered_mask >> f.key) & 1 = 1) AS reg,
                sum(f.n) FILTER (WHERE f.kind = 2 AND (@registered_done_mask >> f.key) & 1 = 1) AS done,
                sum(f.n) FILTER (WHERE f.kind = 2 AND (@registered_overdue_mask >> f.key) & 1 = 1 AND f.day < yr.d) AS overdue
            FROM fig f JOIN yrs yr ON yr.y = f.y GROUP BY f.y, f.unit_id
        ), kinds AS MATERIALIZED (
            SELECT t.y, t.id, t.path, u.kind_id FROM tree t JOIN org_units u ON u.id = t.id
        ), quota AS (
            -- QuotaRules: the quota for the unit's kind set by its nearest strict ancestor, in the tree of the as-of day: the
            -- quotas of the year and kind whose setter stands in the unit's path before the unit itself, the last one of them
            -- (set-based: the setters are few, one hash join instead of a lookup per ancestor of every unit)
            SELECT DISTINCT ON (k.y, k.id) k.y, k.id, q.min_collective, q.min_exemplar
            FROM kinds k JOIN model_quotas q ON q.year = k.y AND q.org_kind_id = k.kind_id
            WHERE index(k.path, text2ltree(q.set_by_org_unit_id::text)) BETWEEN 0 AND nlevel(k.path) - 2
            ORDER BY k.y, k.id, index(k.path, text2ltree(q.set_by_org_unit_id::text)) DESC
        ), own AS (
            SELECT t.y, t.id, t.path, t.parent_id,
                coalesce(pl.members, 0) AS members, coalesce(pl.with_plan, 0) AS with_plan,
                coalesce(pl.reg, 0) AS pl_reg, coalesce(pl.done, 0) AS pl_done, coalesce(pl.overdue, 0) AS pl_overdue,
                coalesce(it.co_reg, 0) AS co_reg, coalesce(it.co_done, 0) AS co_done,
                coalesce(it.mo_col, 0) AS mo_col, coalesce(it.mo_ex, 0) AS mo_ex, coalesce(it.mo_rec, 0) AS mo_rec,
                coalesce(q.min_collective, 0) AS q_col, coalesce(q.min_exemplar, 0) AS q_ex,
                coalesce(it.repl, 0) AS repl,
                coalesce(it.praise, 0) AS praise, coalesce(it.cert, 0) AS cert, coalesce(it.merit, 0) AS merit,
                coalesce(it.sessions, 0) AS sessions, coalesce(it.att_present, 0) AS att_present, coalesce(it.att_recorded, 0) AS att_recorded,
                coalesce(it.pr_reg, 0) + coalesce(it.co_pr_reg, 0) AS pr_reg, coalesce(it.pr_res, 0) + coalesce(it.co_pr_res, 0) AS pr_res,
                coalesce(it.lt, 0) AS lt, coalesce(it.lt_done, 0) AS lt_done,
                coalesce(it.plans, 0) AS plans
            FROM tree t
        """ + (recordedOnly ? "\n    JOIN recorded r ON r.y = t.y AND r.yes" : "") + """
            LEFT JOIN pl ON pl.y = t.y AND pl.id = t.id
            LEFT JOIN it ON it.y = t.y AND it.id = t.id
            LEFT JOIN quota q ON q.y = t.y AND q.id = t.id
        )
        """;

    private const string SumColumns = """
        sum(o.members)::int AS members, sum(o.with_plan)::int AS with_plan, sum(o.pl_reg)::int AS pl_reg, sum(o.pl_done)::int AS pl_done,
        sum(o.pl_overdue)::int AS pl_overdue, sum(o.co_reg)::int AS co_reg, sum(o.co_done)::int AS co_done, sum(o.mo_col)::int AS mo_col,
        sum(o.mo_ex)::int AS mo_ex, sum(o.mo_rec)::int AS mo_rec, sum(o.q_col)::int AS q_col, sum(o.q_ex)::int AS q_ex,
        sum(o.repl)::int AS repl, sum(o.praise)::int AS praise, sum(o.cert)::int AS cert, sum(o.merit)::int AS merit,
        sum(o.sessions)::int AS sessions, sum(o.att_present)::int AS att_present, sum(o.att_recorded)::int AS att_recorded,
        sum(o.pr_reg)::int AS pr_reg, sum(o.pr_res)::int AS pr_res, sum(o.lt)::int AS lt, sum(o.lt_done)::int AS lt_done,
        sum(o.plans)::int AS plans
        """;

    /// <summary>
    /// Every unit of the tree of one year with its own figures and its path; <see cref="ComputeAsync(AppDbContext, int, int, DateOnly, CancellationToken)"/>
    /// adds each unit's own figures to every unit of its path (itself included) that stands in the tree: the subtree's figures.
    /// </summary>
    private static string FiguresSql(int years) => OwnSql(years) + $"""
        SELECT o.id, o.parent_id, u.code, u.name, k.name AS kind, k.symbol, k.is_branch, nlevel(o.path) AS depth, ltree2text(o.path),
            {string.Join(", ", Columns.Select(c => $"o.{c}::int"))}
        FROM own o
        JOIN org_units u ON u.id = o.id
        JOIN org_kinds k ON k.id = u.kind_id
        ORDER BY o.path
        """;

    /// <summary>The root's totals only, for each year asked with something recorded: the sum of every unit's own figures in that year's tree.</summary>
    private static string TotalsSql(int years) => OwnSql(years, recordedOnly: true) + """
        SELECT o.y,
        """ + "\n" + SumColumns + "\n" + """
        FROM own o GROUP BY o.y
        """;

    private static string IndicatorSql(int years) => TreeSql(years) + """
        SELECT i.name, min(i.unit), sum(i.value)
        FROM indicator_values i JOIN tree t ON t.id = i.org_unit_id
        WHERE i.year = @y
        GROUP BY i.name ORDER BY i.name
        """;

    public static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, CancellationToken ct) =>
        await ComputeAsync(db, unitId, year, db.Clock.AsOf(year), ct);

    public static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf, CancellationToken ct)
    {
        return await db.OnConnectionAsync(async conn =>
        {
            if (db.Database.CurrentTransaction is not null)
            {
                // Inside a writing transaction: apply what it changed so far (otherwise applied at its commit).
                await using var flush = conn.CreateCommand();
                flush.CommandText = "SELECT agg_flush()";
                await flush.ExecuteNonQueryAsync(ct);
            }
            var roots = await RootsAsync(conn, unitId, [year], [asOf], ct);
            // Each unit's own figures, then added to every unit of its path that stands in the tree (as the SQL's sum per
            // ancestor did, in a few microseconds instead of a join and a grouping of every unit's path in the database).
            var rows = new List<(int Id, int? Parent, string Code, string Name, string Kind, string Symbol, bool IsBranch, int Depth, string Path)>();
            var sums = new List<int[]>();
            await using (var cmd = Command(conn, FiguresSql, year, roots))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    rows.Add((r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4),
                        r.GetString(5), r.GetBoolean(6), r.GetInt32(7), r.GetString(8)));
                    var v = new int[Columns.Length];
                    for (var i = 0; i < v.Length; i++) v[i] = r.GetInt32(9 + i);
                    sums.Add(v);
                }
            }
            var at = new Dictionary<int, int>(rows.Count);
            for (var i = 0; i < rows.Count; i++) at[rows[i].Id] = i;
            var own = sums.Select(v => (int[])v.Clone()).ToList();
            for (var i = 0; i < rows.Count; i++)
                foreach (var ancestor in Ancestors(rows[i].Path, rows[i].Id))
                    if (at.TryGetValue(ancestor, out var a))
                        for (var c = 0; c < Columns.Length; c++) sums[a][c] = checked(sums[a][c] + own[i][c]);
            var all = new List<UnitFigures>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var u = rows[i];
                all.Add(new UnitFigures(u.Id, u.Parent, u.Code, u.Name, u.Kind, u.Symbol, u.IsBranch, u.Depth, ToFigures(sums[i])));
            }
            var indicators = new List<IndicatorTotal>();
            await using (var cmd = Command(conn, IndicatorSql, year, roots))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                    indicators.Add(new IndicatorTotal(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetDecimal(2)));
            }
            var root = all.FirstOrDefault(u => u.UnitId == unitId);
            var children = all.Where(u => u.ParentId == unitId).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
            return new RollupResult(year, asOf, root, children, all, indicators);
        }, ct);
    }

    /// <summary>
    /// The totals of a unit's subtree (<see cref="RollupResult.Totals"/>) for several years in one statement: the same
    /// SQL as <see cref="ComputeAsync(AppDbContext, int, int, DateOnly, CancellationToken)"/> up to each unit's own
    /// figures, then one sum per year instead of a sum per ancestor (no names, no indicators). Each year as of
    /// <see cref="AsOfFor"/>; a year in which the unit did not exist has empty figures. A year with nothing recorded in
    /// the subtree — no pledge anywhere (not kept in the aggregates) and no unit record — is null: its members alone
    /// would be a count of every branch period on the day, and there is no rate to show for it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, Figures?>> TotalsAsync(AppDbContext db, int unitId, IReadOnlyCollection<int> years, CancellationToken ct)
    {
        var ys = years.Distinct().Order().ToArray();
        var result = ys.ToDictionary(y => y, _ => (Figures?)new Figures());
        if (ys.Length == 0) return result;
        var ds = ys.Select(y => db.Clock.AsOf(y)).ToArray();
        return await db.OnConnectionAsync(async conn =>
        {
            if (db.Database.CurrentTransaction is not null)
            {
                await using var flush = conn.CreateCommand();
                flush.CommandText = "SELECT agg_flush()";
                await flush.ExecuteNonQueryAsync(ct);
            }
            var roots = await RootsAsync(conn, unitId, ys, ds, ct);
            foreach (var y in roots.Years) result[y] = null; // the unit stood in the tree: null unless something was recorded
            await using var cmd = Command(conn, TotalsSql, roots);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var v = new int[Columns.Length];
                for (var i = 0; i < v.Length; i++) v[i] = r.GetInt32(1 + i);
                result[r.GetInt32(0)] = ToFigures(v);
            }
            return (IReadOnlyDictionary<int, Figures?>)result;
        }, ct);
    }

    /// <summary>For tools/ (bench-rollup --explain): EXPLAIN (ANALYZE, BUFFERS) of the figures statement, or of the totals one.</summary>
    internal static async Task<string> ExplainAsync(DbConnection conn, int unitId, int year, DateOnly asOf, int[]? totalsYears, DateOnly[]? totalsAsOf, CancellationToken ct)
    {
        await using var cmd = totalsYears is null
            ? Command(conn, FiguresSql, year, await RootsAsync(conn, unitId, [year], [asOf], ct))
            : Command(conn, TotalsSql, await RootsAsync(conn, unitId, totalsYears, totalsAsOf!, ct));
        // the statement with its parameters written in, to run again in psql
        var inlined = cmd.CommandText;
        foreach (var p in cmd.Parameters.Cast<NpgsqlParameter>().OrderByDescending(p => p.ParameterName.Length))
            inlined = inlined.Replace("@" + p.ParameterName, p.Value switch
            {
                int[] a => $"'{{{string.Join(",", a)}}}'::int[]",
                DateOnly[] a => $"'{{{string.Join(",", a.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}}}'::date[]",
                DateOnly d => $"'{d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}'::date",
                string t => $"'{t}'",
                _ => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture),
            }, StringComparison.Ordinal);
        cmd.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + cmd.CommandText;
        var lines = new List<string> { "-- statement:", inlined + ";", "-- plan:" };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) lines.Add(r.GetString(0));
        return string.Join("\n", lines);
    }

    /// <summary>The counting rules' sets and values, from their homes in Domain/, as SQL parameters.</summary>
    private static readonly (string Name, object Value)[] RuleParameters =
    [
        ("registered", PledgeSets.Sql(PledgeSets.Registered)),
        ("registered_mask", Mask(PledgeSets.Registered)), // PlanRules.HasPlan: any registered pledge
        ("registered_done_mask", Mask(PledgeSets.Registered.Intersect(PledgeSets.Done))),
        ("registered_overdue_mask", Mask(PledgeSets.Registered.Intersect(PledgeSets.CanBeOverdue))),
        ("co_done", (int)CollectiveStatus.Done),
        ("co_problem", (int)CollectiveCategory.PressingProblem),
        ("mo_col", (int)ExemplaryModelKind.Collective),
        ("mo_ex", (int)ExemplaryModelKind.Exemplar),
        ("mo_rec", (int)ExemplaryModelStatus.Recognised),
        ("cm_praise", (int)CommendationLevel.Praise),
        ("cm_cert", (int)CommendationLevel.Certificate),
        ("cm_merit", (int)CommendationLevel.Merit),
        ("att_present", (int)AttendanceStatus.Present),
        ("att_excused", (int)AttendanceStatus.Excused),
        ("pr_resolved", (int)ProblemOutcome.Resolved),
        ("lt_done", (int)LeaderTaskStatus.Done),
        ("i_co", AggregateSql.Item.Collective), ("i_mo", AggregateSql.Item.Models), ("i_re", AggregateSql.Item.Replications),
        ("i_cm", AggregateSql.Item.Commendations), ("i_ss", AggregateSql.Item.StudySessions), ("i_pr", AggregateSql.Item.Problems),
        ("i_lt", AggregateSql.Item.LeaderTasks), ("i_py", AggregateSql.Item.Plans), ("i_at", AggregateSql.Item.Attendance),
    ];

    /// <summary>A set of statuses as a bit mask (bit s for status s), for the aggregates' status keys.</summary>
    private static int Mask(IEnumerable<PledgeStatus> set) => PledgeSets.Sql(set).Aggregate(0, (m, s) => m | 1 << s);

    /// <summary>The years asked in which the unit stood in the tree, with their as-of days and the unit's path on each.</summary>
    private sealed record Roots(int[] Years, DateOnly[] AsOf, string[] Paths);

    private static async Task<Roots> RootsAsync(DbConnection conn, int unitId, int[] years, DateOnly[] asOf, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = RootsSql;
        cmd.Parameters.Add(new NpgsqlParameter("unit", unitId));
        cmd.Parameters.Add(new NpgsqlParameter("ys", years));
        cmd.Parameters.Add(new NpgsqlParameter("ds", asOf));
        var (ys, ds, ps) = (new List<int>(), new List<DateOnly>(), new List<string>());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            ys.Add(r.GetInt32(0));
            ds.Add(r.GetFieldValue<DateOnly>(1));
            ps.Add(r.GetString(2));
        }
        return new Roots([.. ys], [.. ds], [.. ps]);
    }

    private static DbCommand Command(DbConnection conn, Func<int, string> sql, int year, Roots roots)
    {
        var cmd = Command(conn, sql, roots);
        cmd.Parameters.Add(new NpgsqlParameter("y", year));
        return cmd;
    }

    private static DbCommand Command(DbConnection conn, Func<int, string> sql, Roots roots)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql(roots.Years.Length);
        cmd.Parameters.Add(new NpgsqlParameter("ys", roots.Years));
        cmd.Parameters.Add(new NpgsqlParameter("ds", roots.AsOf));
        for (var i = 0; i < roots.Years.Length; i++)
        {
            cmd.Parameters.Add(new NpgsqlParameter("y" + i, roots.Years[i]));
            cmd.Parameters.Add(new NpgsqlParameter("d" + i, roots.AsOf[i]));
            cmd.Parameters.Add(new NpgsqlParameter("r" + i, roots.Paths[i]));
        }
        foreach (var (name, value) in RuleParameters) cmd.Parameters.Add(new NpgsqlParameter(name, value));
        return cmd;
    }

    /// <summary>The unit ids of an ltree path ("1.12.305"), the unit itself left out.</summary>
    private static List<int> Ancestors(string path, int self)
    {
        var ids = new List<int>(8);
        foreach (var label in path.Split('.'))
        {
            var id = int.Parse(label, System.Globalization.CultureInfo.InvariantCulture);
            if (id != self) ids.Add(id);
        }
        return ids;
    }

    private static Figures ToFigures(int[] v) => new()
    {
        Members = v[0], MembersWithPlan = v[1], PledgesRegistered = v[2], PledgesDone = v[3], PledgesOverdue = v[4],
        CollectiveRegistered = v[5], CollectiveDone = v[6], ModelsCollective = v[7], ModelsExemplar = v[8], ModelsRecognised = v[9],
        QuotaCollective = v[10], QuotaExemplar = v[11], Replications = v[12], Praises = v[13], Certificates = v[14], Merits = v[15],
        StudySessions = v[16], AttendancePresent = v[17], AttendanceRecorded = v[18], ProblemsRegistered = v[19], ProblemsResolved = v[20],
        LeaderTasks = v[21], LeaderTasksDone = v[22], Plans = v[23],
    };
}
