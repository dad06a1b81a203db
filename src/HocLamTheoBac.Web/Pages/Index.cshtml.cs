using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages;

/// <summary>Home: the user's roles (linked only where they may open the unit) and, for a member, this year's pledges.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public List<Row> Bindings { get; private set; } = [];
    public List<PledgeRow> Pledges { get; private set; } = [];
    public bool IsMember { get; private set; }
    public int Year => db.Clock.Year;

    /// <summary>A role and its unit; a unit closed or merged since says so (the walk of session 13: a merged branch's
    /// secretary was not told).</summary>
    public sealed record Row(AppRole Role, int OrgUnitId, string UnitName, DateOnly? ClosedOn = null, string? MergedInto = null)
    {
        public bool CanOpen => AccessService.Grants(Role, Permission.ViewUnit);
    }

    public sealed record PledgeRow(int Id, string Content, PledgeStatus Status, uint Version, bool CanReport);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        DisplayName = await db.Users.Where(u => u.Id == id).Select(u => u.FullName).FirstOrDefaultAsync(ct) ?? User.Identity?.Name ?? "";
        Bindings = await db.RoleBindings.AsNoTracking().Where(b => b.UserId == id)
            .OrderBy(b => b.Role).Select(b => new Row(b.Role, b.OrgUnitId, b.OrgUnit.Name, b.OrgUnit.ClosedOn,
                db.OrgUnits.Where(u => u.Id == b.OrgUnit.MergedIntoId).Select(u => u.Name).FirstOrDefault())).ToListAsync(ct);
        var scope = await access.ScopeAsync(ct);
        if (scope.MemberId is not int memberId) return;
        IsMember = true;
        var year = Year;
        var branchPath = await db.Members.Where(m => m.Id == memberId).Select(m => m.Branch.Path).SingleAsync(ct);
        var closed = await YearGuard.IsClosedAsync(db, branchPath, year, ct);
        var rows = await db.Pledges.AsNoTracking().Where(p => p.MemberId == memberId && p.Year == year).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Content, p.Status, p.Version }).ToListAsync(ct);
        Pledges = rows.Select(p => new PledgeRow(p.Id, p.Content, p.Status, p.Version, PledgeRules.Allows(PledgeRole.Owner, PledgeAction.ReportDone, p.Status, closed))).ToList();
    }
}
