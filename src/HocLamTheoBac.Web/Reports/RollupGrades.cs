using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

public static partial class Rollup
{
    /// <summary>
    /// Members' grades of a year counted over the unit's subtree as it stood on the as-of day, by the roll-up's own tree
    /// (<see cref="TreeSql"/>): a grade counts for the unit when the branch that recorded it stood under the unit that
    /// day, or, gone by then (merged), when its first successor did. A branch moved or merged after the year leaves the
    /// year's grades where they were, as the year's pledges and attendance (ADR 0028); before 01/12/2026 they followed
    /// the subtree of today. Summed from the kept counts per branch (<c>agg_unit_grades</c>), not from every grade of the
    /// subtree (until 02/12/2026: 267 ms and 15.262 buffers a view with 320.000 grades, docs/performance.md).
    /// </summary>
    private static readonly string GradesSql = TreeSql(1, _ => """
        (SELECT q.path FROM org_placements q WHERE q.org_unit_id = @unit AND q.valid_from <= @d0 AND (q.valid_to IS NULL OR q.valid_to > @d0)
         ORDER BY q.valid_from DESC LIMIT 1)
        """) + """

        SELECT a.level, sum(a.n)::int FROM agg_unit_grades a JOIN held h ON h.holder = a.unit_id
        WHERE a.year = @y0
        GROUP BY a.level HAVING sum(a.n) <> 0
        """;

    public static Task<List<(GradeLevel Level, int N)>> GradesAsync(AppDbContext db, int unitId, int year, DateOnly asOf, CancellationToken ct) =>
        db.ListAsync(GradesSql, p =>
        {
            p.Add(new NpgsqlParameter("unit", unitId));
            p.Add(new NpgsqlParameter("ys", new[] { year }));
            p.Add(new NpgsqlParameter("ds", new[] { asOf }));
            p.Add(new NpgsqlParameter("y0", year));
            p.Add(new NpgsqlParameter("d0", asOf));
        }, r => ((GradeLevel)r.GetInt32(0), r.GetInt32(1)), ct);
}
