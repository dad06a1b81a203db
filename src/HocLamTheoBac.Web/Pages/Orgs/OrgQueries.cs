using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

public sealed record Crumb(int Id, string Name);

public static class OrgQueries
{
    /// <summary>Names of the ancestors of a unit (root first), for the breadcrumb.</summary>
    public static async Task<List<Crumb>> BreadcrumbAsync(this AppDbContext db, OrgUnit unit, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unit.Path).ToList();
        var names = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new Crumb(u.Id, u.Name)).ToListAsync(ct);
        return ids.Select(id => names.First(n => n.Id == id)).ToList();
    }

    public static Task<List<OrgKind>> KindsAsync(this AppDbContext db, CancellationToken ct) =>
        db.OrgKinds.AsNoTracking().OrderBy(k => k.SortOrder).ToListAsync(ct);
}
