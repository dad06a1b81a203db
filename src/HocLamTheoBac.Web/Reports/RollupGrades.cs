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
    /// the subtree of today.
    /// </summary>
    private static readonly string GradesSql = TreeSql(1, _ => """
        (SELECT q.path FROM org_placements q WHERE q.org_unit_id = @unit AND q.valid_from <= @d0 AND (q.valid_to IS NULL OR q.valid_to > @d0)
         ORDER BY q.valid_from DESC LIMIT 1)
        """) + """

        SELECT g.level, count(*)::int FROM member_grades g JOIN held h ON h.holder = g.branch_id
        WHERE g.year = @y0 AND g.deleted_at IS NULL
        GROUP BY g.level
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
