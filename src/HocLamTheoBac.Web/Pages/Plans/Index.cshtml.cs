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
        var units = access.Units(scope, Permission.ViewUnit).AsNoTracking().Where(u => u.ClosedOn == null && !u.Kind.IsBranch).OrderBy(u => u.Path).Take(500);
        // Closed for the unit by itself or a unit above (YearGuard's one rule; the walk of session 17 saw wards of a year the
        // province had closed listed as "chưa mở năm").
        var closed = (await units.Where(YearGuard.Closed(db, year)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        Rows = (await units
            .Select(u => new { u.Id, u.Name, Depth = u.Path.NLevel, Theme = db.PlanYears.Where(p => p.OrgUnitId == u.Id && p.Year == year).Select(p => p.Theme).FirstOrDefault() })
            .ToListAsync(ct)).Select(u => new Row(u.Id, u.Name, u.Depth, u.Theme, closed.Contains(u.Id))).ToList();
    }
}
