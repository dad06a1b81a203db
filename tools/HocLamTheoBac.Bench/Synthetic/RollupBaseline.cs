using Npgsql;

namespace HocLamTheoBac.Web.Data.Synthetic;

/// <summary>
/// Hand-written roll-ups the benchmark compares the application's roll-up (<c>Reports.Rollup</c>) with.
/// <see cref="Sql"/> computes the SAME 24 figures per unit as the application (members on the as-of
/// day, members with a plan, pledges registered/done/overdue, collective items, models and quotas,
/// replications, commendations, study sessions and attendance, problems, leaders' tasks, plan years),
/// written the way a DBA would: every table aggregated once per owning unit into narrow
/// (unit, figure, count) rows, then each row added to every ancestor by unnesting its path, and
/// pivoted at the end. <see cref="PledgesOnlySql"/> is the reference shape (personal pledges
/// registered and done, collective items registered and done; nothing else), kept as a second,
/// smaller baseline.
/// </summary>
public static class RollupBaseline
{
    public const int FigureCount = 24;

    public const string Sql = """
        WITH tree AS (
            SELECT p.org_unit_id AS id, p.path
            FROM org_placements p
            WHERE p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)
              AND p.path <@ (SELECT r.path FROM org_placements r WHERE r.org_unit_id = @root
                             AND r.valid_from <= @d AND (r.valid_to IS NULL OR r.valid_to > @d) LIMIT 1)
        ),
        planners AS (
            SELECT DISTINCT member_id FROM pledges WHERE year = @year AND deleted_at IS NULL AND status NOT IN (1, 4)
        ),
        leaf AS (
            SELECT m.branch_id AS unit_id, v.k, v.n
            FROM (SELECT branch_id, count(*) AS a, count(*) FILTER (WHERE member_id IN (SELECT member_id FROM planners)) AS b
                  FROM member_branch_periods WHERE valid_from <= @d AND (valid_to IS NULL OR valid_to > @d) GROUP BY branch_id) m,
                 LATERAL (VALUES (0, m.a), (1, m.b)) v(k, n)
            UNION ALL
            SELECT p.branch_id, v.k, v.n
            FROM (SELECT branch_id, count(*) AS a, count(*) FILTER (WHERE status = 7) AS b,
                         count(*) FILTER (WHERE status NOT IN (7, 8) AND deadline < @d) AS c
                  FROM pledges WHERE year = @year AND deleted_at IS NULL AND status NOT IN (1, 4) GROUP BY branch_id) p,
                 LATERAL (VALUES (2, p.a), (3, p.b), (4, p.c)) v(k, n)
            UNION ALL
            SELECT c.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE status = 3) AS b
                  FROM collective_pledges WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) c,
                 LATERAL (VALUES (5, c.a), (6, c.b)) v(k, n)
            UNION ALL
            SELECT m.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) FILTER (WHERE kind = 1) AS a, count(*) FILTER (WHERE kind = 2) AS b,
                         count(*) FILTER (WHERE status = 3) AS c
                  FROM models WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) m,
                 LATERAL (VALUES (7, m.a), (8, m.b), (9, m.c)) v(k, n)
            UNION ALL
            SELECT q.id, v.k, v.n
            FROM (SELECT t.id, (SELECT q.min_collective FROM model_quotas q
                                JOIN unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl) ON q.set_by_org_unit_id = a.aid
                                WHERE q.year = @year AND q.org_kind_id = u.kind_id ORDER BY a.lvl DESC LIMIT 1) AS a,
                               (SELECT q.min_exemplar FROM model_quotas q
                                JOIN unnest(string_to_array(ltree2text(t.path), '.')::int[]) WITH ORDINALITY a(aid, lvl) ON q.set_by_org_unit_id = a.aid
                                WHERE q.year = @year AND q.org_kind_id = u.kind_id ORDER BY a.lvl DESC LIMIT 1) AS b
                  FROM tree t JOIN org_units u ON u.id = t.id
                  WHERE EXISTS (SELECT 1 FROM model_quotas q WHERE q.year = @year AND q.org_kind_id = u.kind_id)) q,
                 LATERAL (VALUES (10, q.a), (11, q.b)) v(k, n)
            WHERE v.n IS NOT NULL
            UNION ALL
            SELECT org_unit_id, 12, count(*) FROM model_replications WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id
            UNION ALL
            SELECT c.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) FILTER (WHERE level = 1) AS a, count(*) FILTER (WHERE level = 2) AS b,
                         count(*) FILTER (WHERE level = 3) AS c
                  FROM commendations WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) c,
                 LATERAL (VALUES (13, c.a), (14, c.b), (15, c.c)) v(k, n)
            UNION ALL
            SELECT org_unit_id, 16, count(*) FROM study_sessions WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id
            UNION ALL
            SELECT s.org_unit_id, v.k, v.n
            FROM (SELECT s.org_unit_id, count(*) FILTER (WHERE a.status = 1) AS a, count(*) AS b
                  FROM study_sessions s JOIN attendances a ON a.session_id = s.id
                  WHERE s.year = @year AND s.deleted_at IS NULL GROUP BY s.org_unit_id) s,
                 LATERAL (VALUES (17, s.a), (18, s.b)) v(k, n)
            UNION ALL
            SELECT p.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE outcome = 2) AS b
                  FROM pressing_problems WHERE year = @year AND deleted_at IS NULL GROUP BY org_unit_id) p,
                 LATERAL (VALUES (19, p.a), (20, p.b)) v(k, n)
            UNION ALL
            SELECT l.org_unit_id, v.k, v.n
            FROM (SELECT org_unit_id, count(*) AS a, count(*) FILTER (WHERE status = 2) AS b
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
            SELECT branch_id AS unit_id, count(*) AS pledges, count(*) FILTER (WHERE status = 7) AS done, 0::bigint AS coll, 0::bigint AS coll_done
            FROM pledges WHERE year = @year AND deleted_at IS NULL
            GROUP BY branch_id
            UNION ALL
            SELECT org_unit_id, 0, 0, count(*), count(*) FILTER (WHERE status = 3)
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

    public sealed record Row(int UnitId, long Pledges, long Done, long Collective, long CollectiveDone);

    public static async Task<List<Row>> RunPledgesOnlyAsync(NpgsqlConnection conn, int rootId, int year, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(PledgesOnlySql, conn);
        cmd.Parameters.AddWithValue("root", rootId);
        cmd.Parameters.AddWithValue("year", year);
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new Row(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        return rows;
    }
}
