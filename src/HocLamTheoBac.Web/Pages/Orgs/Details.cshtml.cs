using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

public sealed class DetailsModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public List<Crumb> Breadcrumb { get; private set; } = [];
    public List<Child> Children { get; private set; } = [];
    public int ActiveMembers { get; private set; }
    /// <summary>For a closed or merged unit: the unit merged into, a link when the viewer may open it (<see cref="OrgQueries.ClosedNoteAsync"/>).</summary>
    public ClosedNote? Closed { get; private set; }
    public bool CanManage { get; private set; }
    public bool CanSeeMembers { get; private set; }

    public sealed record Child(int Id, string Code, string Name, string Kind, bool Closed, int Members);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(id, Permission.ViewUnit, ct);
        if (unit is null) return NotFound();
        Unit = unit;
        var scope = await access.ScopeAsync(ct);
        CanManage = AccessService.Can(scope, Permission.ManageOrgs, unit.Path);
        CanSeeMembers = AccessService.Can(scope, Permission.ViewMembers, unit.Path);
        Breadcrumb = await db.BreadcrumbAsync(unit, scope, ct);
        var path = unit.Path;
        Children = await db.OrgUnits.AsNoTracking().Where(u => u.ParentId == id)
            .OrderBy(u => u.ClosedOn != null).ThenBy(u => u.Name)
            .Select(u => new Child(u.Id, u.Code, u.Name, u.Kind.Name, u.ClosedOn != null,
                db.Members.Count(m => m.Status == MemberStatus.Active && m.Branch.Path.IsDescendantOf(u.Path))))
            .ToListAsync(ct);
        ActiveMembers = await db.Members.CountAsync(m => m.Status == MemberStatus.Active && m.Branch.Path.IsDescendantOf(path), ct);
        Closed = await db.ClosedNoteAsync(unit, scope, Permission.ViewUnit, ct);
        return Page();
    }
}
