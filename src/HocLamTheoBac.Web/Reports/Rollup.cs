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
/// the placements valid on 31/12 of the year (today for the current year, ADR 0004); each table is
/// aggregated once per owning unit, then every unit's own figures are added to each of its
/// ancestors by unnesting its ltree path. Two queries in all, whatever the size of the subtree.
/// Counting rules: docs/adr/0006-year-end-counting-rules.md.
/// </summary>
public static class Rollup
{
    /// <summary>The as-of day of a year's figures: 31/12, or today (Vietnam) while the year is under way.</summary>
    public static DateOnly AsOfFor(int year, VietnamCalendar calendar) => calendar.AsOf(year);

    private static readonly string[] Columns =
    [
        "members", "with_plan", "pl_reg", "pl_done", "pl_overdue", "co_reg", "co_done", "mo_col", "mo_ex", "mo_rec",
        "q_col", "q_ex", "repl", "praise", "cert", "merit", "sessions", "att_present", "att_recorded",
        "pr_reg", "pr_res", "lt", "lt_done", "plans",
    ];

    private const string TreeSql = """
        WITH at_date AS (
            SELECT p.org_unit_id AS id, p.parent_id, p.path FROM org_placements p
            WHERE p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)
        ), tree AS (
            SELECT a.* FROM at_date a
            WHERE a.path <@ (SELECT r.path FROM at_date r WHERE r.id = @unit LIMIT 1)
        )
        """;

    /// <summary>QuotaRules: the quota for the unit's kind set by its nearest strict ancestor, in the tree of the as-of day.</summary>
    private const string QuotaJoin = """
            LEFT JOIN LATERAL (
                -- QuotaRules: the quota for the unit's kind set by its nearest strict ancestor, in the tree of the as-of day
                SELECT q.min_collective, q.min_exemplar
                FROM unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl)
                JOIN model_quotas q ON q.set_by_org_unit_id = a.aid
                WHERE q.year = @y AND q.org_kind_id = u.kind_id AND a.aid <> t.id
                ORDER BY a.lvl DESC LIMIT 1) q ON true
""";

    /// <summary>AttendanceRules, counted from the marks (not kept as an aggregate: it depends on who stood where on each session day).</summary>
    private const string AttendanceJoin = """
            LEFT JOIN (
                -- AttendanceRules: expected = members in a branch of the session unit's subtree (or of a unit merged into it) on the session day;
                -- rate = present / (expected − excused); marks of members not expected are ignored
                SELECT s.org_unit_id AS id, count(*) FILTER (WHERE a.status = @att_present) AS present,
                       count(*) FILTER (WHERE a.status IS DISTINCT FROM @att_excused) AS counted
                FROM study_sessions s JOIN tree st ON st.id = s.org_unit_id
                -- (the two halves as a UNION rather than an OR, so each is an index scan: the OR made a nested loop over every period)
                JOIN LATERAL (
                    SELECT b.id FROM org_units su JOIN org_units b ON b.path <@ su.path WHERE su.id = s.org_unit_id
                    UNION
                    SELECT b.id FROM org_units mu JOIN org_units b ON b.path <@ mu.path WHERE mu.merged_into_id = s.org_unit_id) b ON true
                JOIN member_branch_periods mp ON mp.branch_id = b.id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = mp.member_id
                WHERE s.year = @y AND s.deleted_at IS NULL GROUP BY s.org_unit_id) att ON att.id = t.id
""";

    private const string UpSql = """
        ), up AS (
            SELECT a.aid AS anc, o.*
            FROM own o CROSS JOIN LATERAL unnest(string_to_array(ltree2text(o.path), '.')::int[]) a(aid)
        )
        SELECT t.id, t.parent_id, u.code, u.name, k.name AS kind, k.symbol, k.is_branch, nlevel(t.path) AS depth,
            sum(up.members)::int, sum(up.with_plan)::int, sum(up.pl_reg)::int, sum(up.pl_done)::int, sum(up.pl_overdue)::int,
            sum(up.co_reg)::int, sum(up.co_done)::int, sum(up.mo_col)::int, sum(up.mo_ex)::int, sum(up.mo_rec)::int,
            sum(up.q_col)::int, sum(up.q_ex)::int, sum(up.repl)::int, sum(up.praise)::int, sum(up.cert)::int, sum(up.merit)::int,
            sum(up.sessions)::int, sum(up.att_present)::int, sum(up.att_recorded)::int, sum(up.pr_reg)::int, sum(up.pr_res)::int,
            sum(up.lt)::int, sum(up.lt_done)::int, sum(up.plans)::int
        FROM tree t
        JOIN up ON up.anc = t.id
        JOIN org_units u ON u.id = t.id
        JOIN org_kinds k ON k.id = u.kind_id
        GROUP BY t.id, t.parent_id, t.path, u.code, u.name, k.name, k.symbol, k.is_branch, k.sort_order
        ORDER BY t.path
        """;

    private const string ScratchSql = TreeSql + """
        , counted AS MATERIALIZED (
            -- The subtree's registered pledges of the year, each counted in the branch where its member stands on
            -- the as-of day (ADR 0006), so members and their pledges count in the same branch ...
            SELECT mp.branch_id AS id, p.member_id, p.status, p.deadline
            FROM member_branch_periods mp JOIN tree t ON t.id = mp.branch_id
            JOIN pledges p ON p.member_id = mp.member_id
            WHERE mp.valid_from <= @d AND (mp.valid_to IS NULL OR mp.valid_to > @d)
              AND p.year = @y AND p.deleted_at IS NULL AND p.status = ANY(@registered)
            UNION ALL
            -- ... and, for a member who stands nowhere that day (left the Party), where the pledge is kept.
            SELECT p.branch_id, p.member_id, p.status, p.deadline
            FROM pledges p JOIN tree t ON t.id = p.branch_id
            WHERE p.year = @y AND p.deleted_at IS NULL AND p.status = ANY(@registered)
              AND NOT EXISTS (SELECT 1 FROM member_branch_periods x WHERE x.member_id = p.member_id
                              AND x.valid_from <= @d AND (x.valid_to IS NULL OR x.valid_to > @d))
        ), mem AS (
            -- counted members, and those with a personal plan (a registered pledge of the year, all of which are in "counted")
            SELECT m.branch_id AS id, count(*) AS members,
                count(*) FILTER (WHERE m.member_id IN (SELECT c.member_id FROM counted c)) AS with_plan
            FROM member_branch_periods m JOIN tree t ON t.id = m.branch_id
            WHERE m.valid_from <= @d AND (m.valid_to IS NULL OR m.valid_to > @d)
            GROUP BY m.branch_id
        ), own AS (
            SELECT t.id, t.path,
                coalesce(m.members, 0) AS members, coalesce(m.with_plan, 0) AS with_plan,
                coalesce(pl.reg, 0) AS pl_reg, coalesce(pl.done, 0) AS pl_done, coalesce(pl.overdue, 0) AS pl_overdue,
                coalesce(co.reg, 0) AS co_reg, coalesce(co.done, 0) AS co_done,
                coalesce(mo.col, 0) AS mo_col, coalesce(mo.ex, 0) AS mo_ex, coalesce(mo.rec, 0) AS mo_rec,
                coalesce(q.min_collective, 0) AS q_col, coalesce(q.min_exemplar, 0) AS q_ex,
                coalesce(re.n, 0) AS repl,
                coalesce(cm.praise, 0) AS praise, coalesce(cm.cert, 0) AS cert, coalesce(cm.merit, 0) AS merit,
                coalesce(ss.n, 0) AS sessions, coalesce(att.present, 0) AS att_present, coalesce(att.counted, 0) AS att_recorded,
                coalesce(pr.reg, 0) + coalesce(co.pr_reg, 0) AS pr_reg, coalesce(pr.res, 0) + coalesce(co.pr_res, 0) AS pr_res,
                coalesce(lt.n, 0) AS lt, coalesce(lt.done, 0) AS lt_done,
                coalesce(py.n, 0) AS plans
            FROM tree t
            JOIN org_units u ON u.id = t.id
            LEFT JOIN mem m ON m.id = t.id
            LEFT JOIN (SELECT id, count(*) AS reg, count(*) FILTER (WHERE status = ANY(@done)) AS done,
                              count(*) FILTER (WHERE status = ANY(@overdue) AND deadline < @d) AS overdue
                       FROM counted GROUP BY id) pl ON pl.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS reg, count(*) FILTER (WHERE status = @co_done) AS done,
                              count(*) FILTER (WHERE category = @co_problem) AS pr_reg,
                              count(*) FILTER (WHERE category = @co_problem AND status = @co_done) AS pr_res
                       FROM collective_pledges WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) co ON co.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) FILTER (WHERE kind = @mo_col) AS col, count(*) FILTER (WHERE kind = @mo_ex) AS ex,
                              count(*) FILTER (WHERE status = @mo_rec) AS rec
                       FROM models WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) mo ON mo.id = t.id
        """ + QuotaJoin + """
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n FROM model_replications
                       WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) re ON re.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) FILTER (WHERE level = @cm_praise) AS praise,
                              count(*) FILTER (WHERE level = @cm_cert) AS cert, count(*) FILTER (WHERE level = @cm_merit) AS merit
                       FROM commendations WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) cm ON cm.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n FROM study_sessions
                       WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) ss ON ss.id = t.id
        """ + AttendanceJoin + """
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS reg, count(*) FILTER (WHERE outcome = @pr_resolved) AS res
                       FROM pressing_problems WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) pr ON pr.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n, count(*) FILTER (WHERE status = @lt_done) AS done
                       FROM leader_tasks WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) lt ON lt.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n FROM plan_years WHERE year = @y GROUP BY org_unit_id) py ON py.id = t.id
        """ + UpSql;

    /// <summary>
    /// The same figures from the aggregates kept by the database triggers (docs/adr/0011): members, members with a plan
    /// and pledges per branch and as-of window, the other records per unit; no pledge or member row is read.
    /// </summary>
    private const string AggregateSql = TreeSql + """
        , own AS (
            SELECT t.id, t.path,
                coalesce(f.members, 0) AS members, coalesce(f.with_plan, 0) AS with_plan,
                coalesce(f.reg, 0) AS pl_reg, coalesce(f.done, 0) AS pl_done, coalesce(f.overdue, 0) AS pl_overdue,
                coalesce(i.co_reg, 0) AS co_reg, coalesce(i.co_done, 0) AS co_done,
                coalesce(i.mo_col, 0) AS mo_col, coalesce(i.mo_ex, 0) AS mo_ex, coalesce(i.mo_rec, 0) AS mo_rec,
                coalesce(q.min_collective, 0) AS q_col, coalesce(q.min_exemplar, 0) AS q_ex,
                coalesce(i.repl, 0) AS repl,
                coalesce(i.praise, 0) AS praise, coalesce(i.cert, 0) AS cert, coalesce(i.merit, 0) AS merit,
                coalesce(i.sessions, 0) AS sessions, coalesce(att.present, 0) AS att_present, coalesce(att.counted, 0) AS att_recorded,
                coalesce(i.pr_reg, 0) AS pr_reg, coalesce(i.pr_res, 0) AS pr_res,
                coalesce(i.lt, 0) AS lt, coalesce(i.lt_done, 0) AS lt_done,
                coalesce(i.plans, 0) AS plans
            FROM tree t
            JOIN org_units u ON u.id = t.id
            LEFT JOIN (
                SELECT a.unit_id AS id,
                    sum(a.n) FILTER (WHERE a.kind = 1) AS members,
                    sum(a.n) FILTER (WHERE a.kind = 1 AND a.key & @registered_mask <> 0) AS with_plan,
                    sum(a.n) FILTER (WHERE a.kind = 2 AND a.key = ANY(@registered)) AS reg,
                    sum(a.n) FILTER (WHERE a.kind = 2 AND a.key = ANY(@registered) AND a.key = ANY(@done)) AS done,
                    sum(a.n) FILTER (WHERE a.kind = 2 AND a.key = ANY(@registered) AND a.key = ANY(@overdue) AND a.day < @d) AS overdue
                FROM agg_unit_figures a JOIN tree t2 ON t2.id = a.unit_id
                WHERE a.year = @y AND a.from_day <= @d AND a.to_day > @d AND a.n <> 0
                GROUP BY a.unit_id) f ON f.id = t.id
            LEFT JOIN (
                SELECT a.unit_id AS id,
                    sum(a.n) FILTER (WHERE a.item = 1) AS co_reg,
                    sum(a.n) FILTER (WHERE a.item = 1 AND a.k1 = @co_done) AS co_done,
                    sum(a.n) FILTER (WHERE a.item = 2 AND a.k1 = @mo_col) AS mo_col,
                    sum(a.n) FILTER (WHERE a.item = 2 AND a.k1 = @mo_ex) AS mo_ex,
                    sum(a.n) FILTER (WHERE a.item = 2 AND a.k2 = @mo_rec) AS mo_rec,
                    sum(a.n) FILTER (WHERE a.item = 3) AS repl,
                    sum(a.n) FILTER (WHERE a.item = 4 AND a.k1 = @cm_praise) AS praise,
                    sum(a.n) FILTER (WHERE a.item = 4 AND a.k1 = @cm_cert) AS cert,
                    sum(a.n) FILTER (WHERE a.item = 4 AND a.k1 = @cm_merit) AS merit,
                    sum(a.n) FILTER (WHERE a.item = 5) AS sessions,
                    sum(a.n) FILTER (WHERE a.item = 6 OR (a.item = 1 AND a.k2 = @co_problem)) AS pr_reg,
                    sum(a.n) FILTER (WHERE (a.item = 6 AND a.k1 = @pr_resolved) OR (a.item = 1 AND a.k2 = @co_problem AND a.k1 = @co_done)) AS pr_res,
                    sum(a.n) FILTER (WHERE a.item = 7) AS lt,
                    sum(a.n) FILTER (WHERE a.item = 7 AND a.k1 = @lt_done) AS lt_done,
                    sum(a.n) FILTER (WHERE a.item = 8) AS plans
                FROM agg_unit_items a JOIN tree t2 ON t2.id = a.unit_id
                WHERE a.year = @y AND a.n <> 0
                GROUP BY a.unit_id) i ON i.id = t.id
        """ + QuotaJoin + AttendanceJoin + UpSql;

    private const string IndicatorSql = TreeSql + """
        SELECT i.name, min(i.unit), sum(i.value)
        FROM indicator_values i JOIN tree t ON t.id = i.org_unit_id
        WHERE i.year = @y
        GROUP BY i.name ORDER BY i.name
        """;

    public static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, CancellationToken ct) =>
        await ComputeAsync(db, unitId, year, db.Clock.AsOf(year), ct);

    public static Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf, CancellationToken ct) =>
        ComputeAsync(db, unitId, year, asOf, Source.Aggregates, ct);

    /// <summary>Where the figures are read from: the kept aggregates (when the year is kept and the as-of day falls in it), or counted from scratch.</summary>
    public enum Source { Aggregates, Scratch }

    public static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf, Source source, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var all = new List<UnitFigures>();
            var sql = source == Source.Aggregates && await KeptAsync(conn, year, asOf, ct) ? AggregateSql : ScratchSql;
            await using (var cmd = Command(conn, sql, unitId, year, asOf))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    var v = new int[Columns.Length];
                    for (var i = 0; i < v.Length; i++) v[i] = r.GetInt32(8 + i);
                    all.Add(new UnitFigures(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3),
                        r.GetString(4), r.GetString(5), r.GetBoolean(6), r.GetInt32(7), ToFigures(v)));
                }
            }
            var indicators = new List<IndicatorTotal>();
            await using (var cmd = Command(conn, IndicatorSql, unitId, year, asOf))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                    indicators.Add(new IndicatorTotal(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetDecimal(2)));
            }
            var root = all.FirstOrDefault(u => u.UnitId == unitId);
            var children = all.Where(u => u.ParentId == unitId).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
            return new RollupResult(year, asOf, root, children, all, indicators);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The aggregates answer for as-of days inside a year they keep (their windows are clamped to the year).</summary>
    private static async Task<bool> KeptAsync(DbConnection conn, int year, DateOnly asOf, CancellationToken ct)
    {
        if (asOf.Year != year) return false;
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM agg_years WHERE year = @y)";
        cmd.Parameters.Add(new NpgsqlParameter("y", year));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A set of statuses as the bit set the aggregates keep per member (bit s for status s).</summary>
    private static int Mask(IEnumerable<PledgeStatus> set) => set.Aggregate(0, (m, s) => m | 1 << (int)s);

    /// <summary>The counting rules' sets and values, from their homes in Domain/, as SQL parameters.</summary>
    private static readonly (string Name, object Value)[] RuleParameters =
    [
        ("registered", PledgeSets.Sql(PledgeSets.Registered)),
        ("registered_mask", Mask(PledgeSets.Registered)), // PlanRules.HasPlan: any registered pledge of the year
        ("done", PledgeSets.Sql(PledgeSets.Done)),
        ("overdue", PledgeSets.Sql(PledgeSets.CanBeOverdue)),
        ("co_done", (int)CollectiveStatus.Done),
        ("co_problem", (int)CollectiveCategory.PressingProblem),
        ("mo_col", (int)ModelKind.Collective),
        ("mo_ex", (int)ModelKind.Exemplar),
        ("mo_rec", (int)ModelStatus.Recognised),
        ("cm_praise", (int)CommendationLevel.Praise),
        ("cm_cert", (int)CommendationLevel.Certificate),
        ("cm_merit", (int)CommendationLevel.Merit),
        ("att_present", (int)AttendanceStatus.Present),
        ("att_excused", (int)AttendanceStatus.Excused),
        ("pr_resolved", (int)ProblemOutcome.Resolved),
        ("lt_done", (int)LeaderTaskStatus.Done),
    ];

    private static DbCommand Command(DbConnection conn, string sql, int unitId, int year, DateOnly asOf)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.Add(new NpgsqlParameter("unit", unitId));
        cmd.Parameters.Add(new NpgsqlParameter("y", year));
        cmd.Parameters.Add(new NpgsqlParameter("d", asOf));
        foreach (var (name, value) in RuleParameters) cmd.Parameters.Add(new NpgsqlParameter(name, value));
        return cmd;
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
