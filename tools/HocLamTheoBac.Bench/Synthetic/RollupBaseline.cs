using HocLamTheoBac.Web.Domain;
using Npgsql;

namespace HocLamTheoBac.Web.Data.Synthetic;

/// <summary>
/// Hand-written roll-ups the benchmark compares the application's roll-up (<c>Reports.Rollup</c>) with.
/// <see cref="Sql"/> computes the SAME 24 figures per unit as the application (members on the as-of
/// day, members with a plan, pledges registered/done/overdue, collective items, models and quotas,
/// replications, commendations, study sessions and attendance, problems, leaders' tasks, plan years),
/// written the way a DBA would: every table aggregated once per owning unit into narrow
/// (unit, figure, count) rows, then each row added to every ancestor by unnesting its path, and
/// pivoted at the end; no aggregate table is read. The counting rules (status sets, statuses, kinds, levels) come
/// from Domain/ as parameters (<see cref="RuleParameters"/>), so the hand SQL and the app count by the same rules.
/// <see cref="PledgesOnlySql"/> is the reference shape (personal pledges
/// registered and done, collective items registered and done; nothing else), kept as a second,
/// smaller baseline.
/// </summary>
public static class RollupBaseline
{
    public const int FigureCount = 24;

    public const string Sql = """
        WITH RECURSIVE tree AS (
            SELECT p.org_unit_id AS id, p.path
            FROM org_placements p
            WHERE p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)
              AND p.path <@ (SELECT r.path FROM org_placements r WHERE r.org_unit_id = @root
                             AND r.valid_from <= @d AND (r.valid_to IS NULL OR r.valid_to > @d) LIMIT 1)
        ),
        chain AS (
            -- units gone by the as-of day and their successors: their sessions count for the first successor in the tree
            SELECT u.id AS orig, u.merged_into_id AS cur, 1 AS n FROM org_units u
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= @d
            UNION ALL
            SELECT c.orig, u.merged_into_id, c.n + 1 FROM chain c JOIN org_units u ON u.id = c.cur
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= @d AND c.n < 50
        ),
        held AS (
            SELECT t.id AS holder, t.id AS counted_in FROM tree t
            UNION ALL
            SELECT * FROM (SELECT DISTINCT ON (c.orig) c.orig, t.id FROM chain c JOIN tree t ON t.id = c.cur ORDER BY c.orig, c.n) f
        ),
        standing AS MATERIALIZED (
            -- who stands in which branch on the as-of day
            SELECT member_id, branch_id FROM member_branch_periods WHERE valid_from <= @d AND (valid_to IS NULL OR valid_to > @d)
        ),
        leaf AS (
            SELECT m.branch_id AS unit_id, v.k, v.n
            FROM (SELECT s.branch_id, count(*) AS a,
                         count(*) FILTER (WHERE s.member_id IN (SELECT member_id FROM pledges
                                                                WHERE year = @year AND deleted_at IS NULL AND status = ANY(@registered))) AS b
                  FROM standing s GROUP BY s.branch_id) m,
                 LATERAL (VALUES (0, m.a), (1, m.b)) v(k, n)
            UNION ALL
            -- a pledge counts where its member stands on the as-of day, or where it is kept when the member stands nowhere
            SELECT p.unit_id, v.k, v.n
            FROM (SELECT coalesce(s.branch_id, p.branch_id) AS unit_id, count(*) AS a, count(*) FILTER (WHERE p.status = ANY(@done)) AS b,
                         count(*) FILTER (WHERE p.status = ANY(@overdue) AND p.deadline < @d) AS c
                  FROM pledges p LEFT JOIN standing s ON s.member_id = p.member_id
                  WHERE p.year = @year AND p.deleted_at IS NULL AND p.status = ANY(@registered) GROUP BY 1) p,
                 LATERAL (VALUES (2, p.a), (3, p.b), (4, p.c)) v(k, n)
            UNION ALL
            SELECT c.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE status = @co_done) AS b,
                         count(*) FILTER (WHERE category = @co_problem) AS c, count(*) FILTER (WHERE category = @co_problem AND status = @co_done) AS d
                  FROM collective_pledges WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) c,
                 LATERAL (VALUES (5, c.a), (6, c.b), (19, c.c), (20, c.d)) v(k, n)
            UNION ALL
            SELECT m.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) FILTER (WHERE kind = @mo_col) AS a, count(*) FILTER (WHERE kind = @mo_ex) AS b,
                         count(*) FILTER (WHERE status = @mo_rec) AS c
                  FROM models WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) m,
                 LATERAL (VALUES (7, m.a), (8, m.b), (9, m.c)) v(k, n)
            UNION ALL
            -- the quota for the unit's kind set by its nearest strict ancestor in the tree of the as-of day
            SELECT q.id, v.k, v.n
            FROM (SELECT t.id, (SELECT q.min_collective FROM model_quotas q
                                JOIN unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl) ON q.set_by_org_unit_id = a.aid
                                WHERE q.year = @year AND q.org_kind_id = u.kind_id AND a.aid <> t.id ORDER BY a.lvl DESC LIMIT 1) AS a,
                               (SELECT q.min_exemplar FROM model_quotas q
                                JOIN unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl) ON q.set_by_org_unit_id = a.aid
                                WHERE q.year = @year AND q.org_kind_id = u.kind_id AND a.aid <> t.id ORDER BY a.lvl DESC LIMIT 1) AS b
                  FROM tree t JOIN org_units u ON u.id = t.id
                  WHERE EXISTS (SELECT 1 FROM model_quotas q WHERE q.year = @year AND q.org_kind_id = u.kind_id)) q,
                 LATERAL (VALUES (10, q.a), (11, q.b)) v(k, n)
            WHERE v.n IS NOT NULL
            UNION ALL
            SELECT org_unit_id, 12, count(*) FROM model_replications WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id
            UNION ALL
            SELECT c.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) FILTER (WHERE level = @cm_praise) AS a, count(*) FILTER (WHERE level = @cm_cert) AS b,
                         count(*) FILTER (WHERE level = @cm_merit) AS c
                  FROM commendations WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) c,
                 LATERAL (VALUES (13, c.a), (14, c.b), (15, c.c)) v(k, n)
            UNION ALL
            SELECT h.counted_in, 16, count(*) FROM study_sessions s JOIN held h ON h.holder = s.org_unit_id
            WHERE s.year = @year AND s.deleted_at IS NULL GROUP BY h.counted_in
            UNION ALL
            -- attendance: the members standing in a branch of the holder's subtree on the session day (the tree of that
            -- day: both placements covering it), by their mark
            SELECT s.unit_id, v.k, v.n
            FROM (SELECT h.counted_in AS unit_id, count(*) FILTER (WHERE a.status = @att_present) AS a,
                         count(*) FILTER (WHERE a.status IS DISTINCT FROM @att_excused) AS b
                  FROM study_sessions s JOIN held h ON h.holder = s.org_unit_id
                  JOIN org_placements sp ON sp.org_unit_id = s.org_unit_id AND sp.valid_from <= s.held_on AND (sp.valid_to IS NULL OR sp.valid_to > s.held_on)
                  JOIN org_placements b ON b.path <@ sp.path AND b.valid_from <= s.held_on AND (b.valid_to IS NULL OR b.valid_to > s.held_on)
                  JOIN member_branch_periods mp ON mp.branch_id = b.org_unit_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                  LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = mp.member_id
                  WHERE s.year = @year AND s.deleted_at IS NULL GROUP BY h.counted_in) s,
                 LATERAL (VALUES (17, s.a), (18, s.b)) v(k, n)
            UNION ALL
            SELECT p.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE outcome = @pr_resolved) AS b
                  FROM pressing_problems WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) p,
                 LATERAL (VALUES (19, p.a), (20, p.b)) v(k, n)
            UNION ALL
            SELECT l.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE status = @lt_done) AS b
                  FROM leader_tasks WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) l,
                 LATERAL (VALUES (21, l.a), (22, l.b)) v(k, n)
            UNION ALL
            SELECT org_unit_id, 23, count(*) FROM plan_years WHERE year = @year GROUP BY org_unit_id
        ),
        up AS (
            SELECT a.id::int AS unit_id, l.k, sum(l.n)::int AS n
            FROM leaf l
            JOIN tree t ON t.id = l.unit_id
            CROSS JOIN LATERAL unnest(string_to_array(ltree2text(t.path), '.')) AS a(id)
            GROUP BY 1, 2
        )
        SELECT t.id, coalesce(array_agg(up.k) FILTER (WHERE up.k IS NOT NULL), '{}'), coalesce(array_agg(up.n) FILTER (WHERE up.k IS NOT NULL), '{}')
        FROM tree t LEFT JOIN up ON up.unit_id = t.id
        GROUP BY t.id
        """;

    public const string PledgesOnlySql = """
        WITH d AS (SELECT make_date(@year, 12, 31) AS on_day),
        tree AS (
            SELECT p.org_unit_id AS id, p.path
            FROM org_placements p, d
            WHERE p.valid_from <= d.on_day AND (p.valid_to IS NULL OR p.valid_to > d.on_day)
              AND p.path <@ (SELECT r.path FROM org_placements r, d WHERE r.org_unit_id = @root
                             AND r.valid_from <= d.on_day AND (r.valid_to IS NULL OR r.valid_to > d.on_day) LIMIT 1)
        ),
        leaf AS (
            SELECT branch_id AS unit_id, count(*) AS pledges, count(*) FILTER (WHERE status = ANY(@done)) AS done, 0::bigint AS coll, 0::bigint AS coll_done
            FROM pledges WHERE year = @year AND deleted_at IS NULL AND status = ANY(@registered)
            GROUP BY branch_id
            UNION ALL
            SELECT org_unit_id, 0, 0, count(*), count(*) FILTER (WHERE status = @co_done)
            FROM collective_pledges WHERE year = @year AND deleted_at IS NULL
            GROUP BY org_unit_id
        ),
        up AS (
            SELECT a.id::int AS unit_id, sum(l.pledges) AS pledges, sum(l.done) AS done, sum(l.coll) AS coll, sum(l.coll_done) AS coll_done
            FROM leaf l
            JOIN tree t ON t.id = l.unit_id
            CROSS JOIN LATERAL unnest(string_to_array(ltree2text(t.path), '.')) AS a(id)
            GROUP BY a.id
        )
        SELECT t.id, coalesce(up.pledges, 0), coalesce(up.done, 0), coalesce(up.coll, 0), coalesce(up.coll_done, 0)
        FROM tree t LEFT JOIN up ON up.unit_id = t.id
        """;

    /// <summary>The 24 figures of every unit under <paramref name="rootId"/> on <paramref name="asOf"/>, in the order of the application's roll-up.</summary>
    public static async Task<Dictionary<int, int[]>> RunAsync(NpgsqlConnection conn, int rootId, int year, DateOnly asOf, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql, conn);
        cmd.Parameters.AddWithValue("root", rootId);
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.AddWithValue("d", asOf);
        foreach (var (name, value) in RuleParameters) cmd.Parameters.Add(new NpgsqlParameter(name, value));
        var rows = new Dictionary<int, int[]>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var v = new int[FigureCount];
            var ks = r.GetFieldValue<int[]>(1);
            var ns = r.GetFieldValue<int[]>(2);
            for (var i = 0; i < ks.Length; i++) v[ks[i]] = ns[i];
            rows[r.GetInt32(0)] = v;
        }
        return rows;
    }

    /// <summary>
    /// The counting rules' sets and values from their homes (Domain/CountingRules.cs and the record enums), as
    /// parameters: the hand SQL follows the same rules as the application without a second copy of them.
    /// </summary>
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

    public sealed record Row(int UnitId, long Pledges, long Done, long Collective, long CollectiveDone);

    public static async Task<List<Row>> RunPledgesOnlyAsync(NpgsqlConnection conn, int rootId, int year, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(PledgesOnlySql, conn);
        cmd.Parameters.AddWithValue("root", rootId);
        cmd.Parameters.AddWithValue("year", year);
        foreach (var (name, value) in RuleParameters.Where(p => p.Name is "registered" or "done" or "co_done")) cmd.Parameters.Add(new NpgsqlParameter(name, value));
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new Row(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        return rows;
    }
}
