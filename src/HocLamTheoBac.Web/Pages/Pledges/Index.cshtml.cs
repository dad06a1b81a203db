using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>The branches in the user's subtree with their counts for the year; a plain member goes to their own page.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access, Web.Reports.DashboardRollups rollups) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;

    public sealed record Row(int Id, string Name, int Members, int Registered, int Pledges, int Done);
    public List<Row> Rows { get; private set; } = [];
    public bool HasMember { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!PlanYearRange.Contains(Year)) return NotFound();
        var scope = await access.ScopeAsync(ct);
        HasMember = scope.MemberId is not null;
        if (scope.Bindings.All(b => b.Role == AppRole.Member) && !scope.IsOperator) return RedirectToPage("Mine", new { Year });
        // The same figures as the report (Reports/Rollup.cs, ADR 0006), for each subtree the user may see.
        var roots = scope.IsOperator
            ? await db.OrgUnits.AsNoTracking().Where(u => u.ParentId == null && u.ClosedOn == null).Select(u => u.Path).ToListAsync(ct)
            : scope.RootsFor(Permission.ViewMembers).ToList();
        roots = roots.Where(r => !roots.Any(o => o.ToString() != r.ToString() && OrgPaths.IsWithin(r, o))).ToList();
        foreach (var root in roots)
        {
            var result = await Web.Reports.Rollup.ComputeAsync(db, OrgPaths.Ids(root).Last(), Year, ct, rollups.Memo);
            Rows.AddRange(result.All.Where(u => u.IsBranch).Select(u =>
                new Row(u.UnitId, u.Name, u.Figures.Members, u.Figures.MembersWithPlan, u.Figures.PledgesRegistered, u.Figures.PledgesDone)));
            if (Rows.Count >= 500) break;
        }
        Rows = Rows.Take(500).ToList();
        return Page();
    }
}
