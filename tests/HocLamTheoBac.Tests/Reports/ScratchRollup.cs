using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// Test oracle: the roll-up counted from scratch from pledges, member periods and every yearly table, as
/// Reports/Rollup.cs did before the aggregates (ADR 0018). The product reads the aggregates; tests compare the two
/// for every unit, so a missed write path or a wrong delta shows as a figure that differs.
/// </summary>
public static class ScratchRollup
{
    internal const string TreeSql = """
        WITH RECURSIVE at_date AS (
            SELECT p.org_unit_id AS id, p.parent_id, p.path FROM org_placements p
            WHERE p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)
        ), tree AS (
            SELECT a.* FROM at_date a
            WHERE a.path <@ (SELECT r.path FROM at_date r WHERE r.id = @unit LIMIT 1)
        ), chain AS (
            -- Units gone by the as-of day (merged or closed with a successor) and the successor chain that follows them
            SELECT u.id AS orig, u.merged_into_id AS cur, 1 AS n FROM org_units u
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= @d
            UNION ALL
            SELECT c.orig, u.merged_into_id, c.n + 1 FROM chain c JOIN org_units u ON u.id = c.cur
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= @d AND c.n < 50
        ), held AS (
            -- Who a study session counts for: the unit that held it, or the first successor of that unit in the tree
            SELECT t.id AS holder, t.id AS counted_in FROM tree t
            UNION ALL
            SELECT * FROM (SELECT DISTINCT ON (c.orig) c.orig, t.id FROM chain c JOIN tree t ON t.id = c.cur ORDER BY c.orig, c.n) first_in_tree
        )
        """;

    internal const string FiguresSql = TreeSql + """
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
            LEFT JOIN LATERAL (
                -- QuotaRules: the quota for the unit's kind set by its nearest strict ancestor, in the tree of the as-of day
                SELECT q.min_collective, q.min_exemplar
                FROM unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl)
                JOIN model_quotas q ON q.set_by_org_unit_id = a.aid
                WHERE q.year = @y AND q.org_kind_id = u.kind_id AND a.aid <> t.id
                ORDER BY a.lvl DESC LIMIT 1) q ON true
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n FROM model_replications
                       WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) re ON re.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) FILTER (WHERE level = @cm_praise) AS praise,
                              count(*) FILTER (WHERE level = @cm_cert) AS cert, count(*) FILTER (WHERE level = @cm_merit) AS merit
                       FROM commendations WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) cm ON cm.id = t.id
            LEFT JOIN (SELECT h.counted_in AS id, count(*) AS n FROM study_sessions s JOIN held h ON h.holder = s.org_unit_id
                       WHERE s.year = @y AND s.deleted_at IS NULL GROUP BY h.counted_in) ss ON ss.id = t.id
            LEFT JOIN (
                -- AttendanceRules: expected = members in a branch of the subtree of the unit that held the session, on the session day, in that day's tree;
                -- rate = present / (expected − excused); marks of members not expected are ignored
                -- (sessions held before a merger stay with the unit that held them and count for its successor)
                SELECT h.counted_in AS id, count(*) FILTER (WHERE a.status = @att_present) AS present,
                       count(*) FILTER (WHERE a.status IS DISTINCT FROM @att_excused) AS counted
                FROM study_sessions s JOIN held h ON h.holder = s.org_unit_id
                JOIN org_placements hp ON hp.org_unit_id = s.org_unit_id AND hp.valid_from <= s.held_on AND (hp.valid_to IS NULL OR hp.valid_to > s.held_on)
                JOIN org_placements bp ON bp.path <@ hp.path AND bp.valid_from <= s.held_on AND (bp.valid_to IS NULL OR bp.valid_to > s.held_on)
                JOIN member_branch_periods mp ON mp.branch_id = bp.org_unit_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = mp.member_id
                WHERE s.year = @y AND s.deleted_at IS NULL GROUP BY h.counted_in) att ON att.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS reg, count(*) FILTER (WHERE outcome = @pr_resolved) AS res
                       FROM pressing_problems WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) pr ON pr.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n, count(*) FILTER (WHERE status = @lt_done) AS done
                       FROM leader_tasks WHERE year = @y AND deleted_at IS NULL GROUP BY org_unit_id) lt ON lt.id = t.id
            LEFT JOIN (SELECT org_unit_id AS id, count(*) AS n FROM plan_years WHERE year = @y GROUP BY org_unit_id) py ON py.id = t.id
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

    private static readonly (string Name, object Value)[] RuleParameters =
    [
        ("registered", PledgeSets.Sql(PledgeSets.Registered)),
        ("done", PledgeSets.Sql(PledgeSets.Done)),
        ("overdue", PledgeSets.Sql(PledgeSets.CanBeOverdue)),
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
    ];

    /// <summary>Every unit's 24 figures (in the order of the roll-up's columns) for the subtree of <paramref name="unitId"/>.</summary>
    public static async Task<Dictionary<int, int[]>> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(FiguresSql, conn);
        cmd.Parameters.AddWithValue("unit", unitId);
        cmd.Parameters.AddWithValue("y", year);
        cmd.Parameters.AddWithValue("d", asOf);
        foreach (var (name, value) in RuleParameters) cmd.Parameters.Add(new NpgsqlParameter(name, value));
        var result = new Dictionary<int, int[]>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            result[r.GetInt32(0)] = Enumerable.Range(8, 24).Select(r.GetInt32).ToArray();
        return result;
    }

    public static int[] Values(Figures f) =>
    [
        f.Members, f.MembersWithPlan, f.PledgesRegistered, f.PledgesDone, f.PledgesOverdue, f.CollectiveRegistered, f.CollectiveDone,
        f.ModelsCollective, f.ModelsExemplar, f.ModelsRecognised, f.QuotaCollective, f.QuotaExemplar, f.Replications,
        f.Praises, f.Certificates, f.Merits, f.StudySessions, f.AttendancePresent, f.AttendanceRecorded,
        f.ProblemsRegistered, f.ProblemsResolved, f.LeaderTasks, f.LeaderTasksDone, f.Plans,
    ];

    /// <summary>The units whose figures from the aggregates differ from the count from scratch, with both.</summary>
    public static async Task<List<string>> DisagreementsAsync(AppDbContext db, int unitId, int year, DateOnly asOf)
    {
        var kept = await Rollup.ComputeAsync(db, unitId, year, asOf, CancellationToken.None);
        var scratch = await ComputeAsync(db, unitId, year, asOf);
        var bad = new List<string>();
        if (kept.All.Count != scratch.Count) bad.Add($"{year} as of {asOf:dd/MM/yyyy}: {kept.All.Count} units vs {scratch.Count}");
        foreach (var u in kept.All)
            if (!scratch.TryGetValue(u.UnitId, out var s) || !s.SequenceEqual(Values(u.Figures)))
                bad.Add($"{year} as of {asOf:dd/MM/yyyy} {u.Code}: aggregates [{string.Join(",", Values(u.Figures))}] vs scratch [{(s is null ? "-" : string.Join(",", s))}]");
        return bad;
    }

    /// <summary>Every difference between the aggregate tables and the rows counted again (agg_differences()).</summary>
    public static async Task<List<string>> AggregateDifferencesAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("SELECT what, unit_id, year, detail, kept, counted FROM agg_differences() ORDER BY 1, 2, 3, 4", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var diffs = new List<string>();
        while (await r.ReadAsync())
            diffs.Add($"{r.GetString(0)} unit {(r.IsDBNull(1) ? "-" : r.GetInt32(1))} year {r.GetInt32(2)} [{r.GetString(3)}]: kept {r.GetInt64(4)}, counted {r.GetInt64(5)}");
        return diffs;
    }

    public static async Task<List<string>> AggregateDifferencesAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return await AggregateDifferencesAsync(conn);
    }
}
