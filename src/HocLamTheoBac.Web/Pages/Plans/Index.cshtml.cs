using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>Units in the user's subtree with their plan for the year (own theme, closed or not).</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    public sealed record Row(int Id, string Name, int Depth, string? Theme, bool Closed);
    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var year = Year;
        Rows = await access.Units(scope, Permission.ViewUnit).AsNoTracking().Where(u => u.ClosedOn == null && !u.Kind.IsBranch)
            .OrderBy(u => u.Path).Take(500)
            .Select(u => new Row(u.Id, u.Name, u.Path.NLevel,
                db.PlanYears.Where(p => p.OrgUnitId == u.Id && p.Year == year).Select(p => p.Theme).FirstOrDefault(),
                db.PlanYears.Any(p => p.OrgUnitId == u.Id && p.Year == year && p.ClosedAt != null)))
            .ToListAsync(ct);
    }
}
