using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The one year-closure guard (Domain/YearClosure.cs), run before every save by Data/SaveChangesGuard.cs: any yearly record
/// added, changed or deleted, or moved out of a unit's year, in a year closed for that unit (by it or an ancestor)
/// refuses the whole save. Attendance marks belong to their session's year. Pages, imports, restructuring and the
/// command line all save through here, so none can bypass it whatever year a form posts.
/// </summary>
internal static class YearGuard
{
    public static async Task CheckAsync(AppDbContext db, CancellationToken ct)
    {
        var keys = new HashSet<(int Unit, int Year)>();
        var sessions = new HashSet<int>();
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            switch (e.Entity)
            {
                case IYearly y:
                    keys.Add((y.YearUnitId, y.Year));
                    if (e.State != EntityState.Added)
                    {
                        var unitProperty = e.Entity switch { Pledge => nameof(Pledge.BranchId), MemberGrade => nameof(MemberGrade.BranchId), ModelQuota => nameof(ModelQuota.SetByOrgUnitId), _ => "OrgUnitId" };
                        keys.Add(((int)e.OriginalValues[unitProperty]!, (int)e.OriginalValues[nameof(IYearly.Year)]!));
                    }
                    break;
                case Attendance a:
                    sessions.Add(a.SessionId);
                    break;
            }
        }
        if (sessions.Count > 0)
            foreach (var s in await db.StudySessions.IgnoreQueryFilters().AsNoTracking().Where(s => sessions.Contains(s.Id)).Select(s => new { s.OrgUnitId, s.Year }).ToListAsync(ct))
                keys.Add((s.OrgUnitId, s.Year));
        if (keys.Count == 0) return;

        var years = keys.Select(k => k.Year).Distinct().ToList();
        var closed = await db.PlanYears.AsNoTracking().Where(p => years.Contains(p.Year) && p.ClosedAt != null).Select(p => new { p.OrgUnitId, p.Year }).ToListAsync(ct);
        if (closed.Count == 0) return;
        var unitIds = keys.Select(k => k.Unit).Distinct().ToList();
        var paths = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Path }).ToDictionaryAsync(u => u.Id, u => u.Path, ct);
        foreach (var (unit, year) in keys.OrderBy(k => k.Year))
        {
            var line = paths.TryGetValue(unit, out var path) ? OrgPaths.Ids(path).ToHashSet() : [unit];
            if (closed.Any(c => c.Year == year && line.Contains(c.OrgUnitId))) throw new YearClosedException(year);
        }
    }

    /// <summary>Whether a unit's year is closed (by the unit or an ancestor): for pages that show a year read-only.</summary>
    public static Task<bool> IsClosedAsync(AppDbContext db, LTree unitPath, int year, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unitPath).ToList();
        return db.PlanYears.AnyAsync(y => y.Year == year && y.ClosedAt != null && ids.Contains(y.OrgUnitId), ct);
    }

    /// <summary>
    /// The same test for a unit the query reaches itself (e.g. a member's branch), in one round trip: a closed plan year
    /// of the unit or of an ancestor — a unit whose path contains the unit's.
    /// </summary>
    public static Task<bool> IsClosedAsync(AppDbContext db, IQueryable<OrgUnit> unit, int year, CancellationToken ct) =>
        unit.AnyAsync(u => db.PlanYears.Any(y => y.Year == year && y.ClosedAt != null && u.Path.IsDescendantOf(y.OrgUnit.Path)), ct);
}
