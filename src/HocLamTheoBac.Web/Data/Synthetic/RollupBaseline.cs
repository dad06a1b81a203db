using Npgsql;

namespace HocLamTheoBac.Web.Data.Synthetic;

/// <summary>
/// The hand-written roll-up the benchmark compares the application's roll-up with: aggregate once per
/// branch (personal pledges registered and done) and per unit (collective items registered and done),
/// then add every row to each ancestor on the tree as it stood on 31/12 of the year. Members on 31/12
/// and "members with a plan" (count distinct) are left out on purpose: they cost ~100 ms each at
/// province size and the reference figure (~150 ms) is for the pledge roll-up alone.
/// </summary>
public static class RollupBaseline
{
    public const string Sql = """
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

    public sealed record Row(int UnitId, long Pledges, long Done, long Collective, long CollectiveDone);

    public static async Task<List<Row>> RunAsync(NpgsqlConnection conn, int rootId, int year, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql, conn);
        cmd.Parameters.AddWithValue("root", rootId);
        cmd.Parameters.AddWithValue("year", year);
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new Row(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        return rows;
    }
}
