using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

public sealed record Crumb(int Id, string Name, bool CanOpen);

public static class OrgQueries
{
    /// <summary>Names of the ancestors of a unit (root first), for the breadcrumb; a link only where the user may open the unit.</summary>
    public static async Task<List<Crumb>> BreadcrumbAsync(this AppDbContext db, OrgUnit unit, Infrastructure.UserScope scope, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unit.Path).ToList();
        var names = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.Path }).ToListAsync(ct);
        return ids.Select(id => names.First(n => n.Id == id))
            .Select(n => new Crumb(n.Id, n.Name, Infrastructure.AccessService.Can(scope, Infrastructure.Permission.ViewUnit, n.Path))).ToList();
    }

    public static Task<List<OrgKind>> KindsAsync(this AppDbContext db, CancellationToken ct) =>
        db.OrgKinds.AsNoTracking().OrderBy(k => k.SortOrder).ToListAsync(ct);
}
