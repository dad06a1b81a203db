using HocLamTheoBac.Web.Data;
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
// aggregates): the same statement up to each unit's own figures (OwnSql: the aggregates, the counting rules' sets and
// values as parameters from their one home), then one sum per direct child instead of one per ancestor, and names only
// for the root and its children. At 4.566 units it returns 13 rows instead of 4.566 and skips the indicators' statement
// (docs/performance.md, "Province dashboard, profile").
public static partial class Rollup
{
    /// <summary>Each unit's own figures summed per direct child of the root (@root_depth: the root's level); the root's own row keeps its id.</summary>
    private static string ChildrenSql(int years) => OwnSql(years) + """
        , up AS (
            SELECT CASE WHEN nlevel(o.path) = @root_depth THEN o.id ELSE subpath(o.path, @root_depth, 1)::text::int END AS id,
        """ + "\n" + SumColumns + "\n" + """
            FROM own o GROUP BY 1
        )
        SELECT t.id, t.parent_id, u.code, u.name, k.name AS kind, k.symbol, k.is_branch, nlevel(t.path) AS depth,
            up.members, up.with_plan, up.pl_reg, up.pl_done, up.pl_overdue, up.co_reg, up.co_done, up.mo_col, up.mo_ex, up.mo_rec,
            up.q_col, up.q_ex, up.repl, up.praise, up.cert, up.merit, up.sessions, up.att_present, up.att_recorded,
            up.pr_reg, up.pr_res, up.lt, up.lt_done, up.plans
        FROM up
        JOIN tree t ON t.id = up.id
        JOIN org_units u ON u.id = t.id
        JOIN org_kinds k ON k.id = u.kind_id
        """;

    /// <summary>
    /// The unit's totals and each direct child's, as of <see cref="AsOfFor"/>: the same figures as
    /// <see cref="ComputeAsync(AppDbContext, int, int, CancellationToken)"/>'s <see cref="RollupResult.Root"/> and
    /// <see cref="RollupResult.Children"/> (children in the same order), without the other units' figures, names or
    /// the indicators. The root's totals are the sum of its own row and its children's subtrees.
    /// </summary>
    public static async Task<RollupHead> ChildrenAsync(AppDbContext db, int unitId, int year, CancellationToken ct)
    {
        var asOf = db.Clock.AsOf(year);
        return await db.OnConnectionAsync(async conn =>
        {
            if (db.Database.CurrentTransaction is not null)
            {
                await using var flush = conn.CreateCommand();
                flush.CommandText = "SELECT agg_flush()";
                await flush.ExecuteNonQueryAsync(ct);
            }
            var roots = await RootsAsync(conn, unitId, [year], [asOf], ct);
            if (roots.Years.Length == 0) return new RollupHead(year, asOf, null, []);
            UnitFigures? own = null;
            var children = new List<UnitFigures>();
            var sum = new int[Columns.Length];
            await using (var cmd = Command(conn, ChildrenSql, year, roots))
            {
                cmd.Parameters.Add(new NpgsqlParameter("root_depth", roots.Paths[0].Split('.').Length));
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var v = new int[Columns.Length];
                    for (var i = 0; i < v.Length; i++) sum[i] += v[i] = r.GetInt32(8 + i);
                    var row = new UnitFigures(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3),
                        r.GetString(4), r.GetString(5), r.GetBoolean(6), r.GetInt32(7), ToFigures(v));
                    if (row.UnitId == unitId) own = row;
                    else children.Add(row);
                }
            }
            var root = own is null ? null : own with { Figures = ToFigures(sum) };
            return new RollupHead(year, asOf, root, [.. children.OrderBy(u => u.Code, StringComparer.Ordinal)]);
        }, ct);
    }
}
