using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Quotas;

/// <summary>One unit of a subtree: models registered for the year against the quota that applies to it.</summary>
public sealed record QuotaStatusRow(
    int UnitId, string Code, string Name, string KindName, int Depth,
    int Collective, int Exemplar, int? MinCollective, int? MinExemplar, int? SetByUnitId, string? SetByName)
{
    public bool HasQuota => MinCollective is not null;
    public bool IsShort => QuotaRules.IsShort(Collective, Exemplar, MinCollective, MinExemplar);
    public int MissingCollective => QuotaRules.Missing(Collective, MinCollective);
    public int MissingExemplar => QuotaRules.Missing(Exemplar, MinExemplar);
}

/// <summary>
/// Quota compliance of a whole subtree in one SQL statement: every open unit under (and including) the root,
/// its registered collective models and exemplars for the year (not deleted, not "not achieved"), and the quota
/// for its kind set by its nearest strict ancestor for that year (DISTINCT ON … ORDER BY depth DESC), in the tree of the
/// year's as-of day, the same rule and tree as the report's roll-up.
/// </summary>
public static class QuotaStatusQuery
{
    public static async Task<List<QuotaStatusRow>> RunAsync(AppDbContext db, LTree root, int year, CancellationToken ct)
    {
        const string sql = """
            WITH at_date AS (
                -- the tree as it stood on the as-of day of the year (ADR 0004), like the report
                SELECT p.org_unit_id AS id, p.path FROM org_placements p
                WHERE p.valid_from <= @asOf AND (p.valid_to IS NULL OR p.valid_to > @asOf)
            ),
            root AS (SELECT r.path FROM at_date r WHERE r.id = @rootId LIMIT 1),
            subtree AS (
                SELECT u.id, u.code, u.name, u.kind_id, a.path
                FROM at_date a JOIN org_units u ON u.id = a.id
                WHERE a.path <@ (SELECT path FROM root)
            ),
            quota AS (
                -- QuotaRules: the nearest strict ancestor's quota for the unit's kind and year
                SELECT DISTINCT ON (s.id) s.id AS unit_id, q.min_collective, q.min_exemplar, setter.id AS set_by, setter.name AS set_by_name
                FROM subtree s
                JOIN model_quotas q ON q.year = @year AND q.org_kind_id = s.kind_id
                JOIN at_date sa ON sa.id = q.set_by_org_unit_id AND s.path <@ sa.path AND sa.id <> s.id
                JOIN org_units setter ON setter.id = sa.id
                ORDER BY s.id, nlevel(sa.path) DESC
            ),
            counts AS (
                SELECT m.org_unit_id,
                       count(*) FILTER (WHERE m.kind = @collective) AS collective,
                       count(*) FILTER (WHERE m.kind = @exemplar) AS exemplar
                FROM models m
                JOIN subtree s ON s.id = m.org_unit_id
                WHERE m.year = @year AND m.deleted_at IS NULL AND m.status <> @notAchieved
                GROUP BY m.org_unit_id
            )
            SELECT s.id, s.code, s.name, k.name, nlevel(s.path) - nlevel((SELECT path FROM root)),
                   COALESCE(c.collective, 0)::int, COALESCE(c.exemplar, 0)::int,
                   q.min_collective, q.min_exemplar, q.set_by, q.set_by_name
            FROM subtree s
            JOIN org_kinds k ON k.id = s.kind_id
            LEFT JOIN quota q ON q.unit_id = s.id
            LEFT JOIN counts c ON c.org_unit_id = s.id
            ORDER BY s.path
            """;
        return await db.ListAsync(sql, p =>
        {
            p.AddWithValue("rootId", OrgPaths.Ids(root).Last());
            p.AddWithValue("asOf", db.Clock.AsOf(year));
            p.AddWithValue("year", year);
            p.AddWithValue("collective", (int)ExemplaryModelKind.Collective);
            p.AddWithValue("exemplar", (int)ExemplaryModelKind.Exemplar);
            p.AddWithValue("notAchieved", (int)ExemplaryModelStatus.NotAchieved);
        }, r => new QuotaStatusRow(
            r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
            r.GetInt32(5), r.GetInt32(6),
            r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8),
            r.IsDBNull(9) ? null : r.GetInt32(9), r.IsDBNull(10) ? null : r.GetString(10)), ct);
    }
}
