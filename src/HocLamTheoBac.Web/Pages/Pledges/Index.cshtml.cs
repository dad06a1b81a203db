using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>The branches in the user's subtree with their counts for the year; a plain member goes to their own page.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = PledgeAccess.CurrentYear;

    public sealed record Row(int Id, string Name, int Members, int Registered, int Pledges, int Done);
    public List<Row> Rows { get; private set; } = [];
    public bool HasMember { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        HasMember = scope.MemberId is not null;
        if (scope.Bindings.All(b => b.Role == AppRole.Member) && !scope.IsOperator) return RedirectToPage("Mine", new { Year });
        var year = Year;
        Rows = await access.Units(scope, Permission.ViewMembers).AsNoTracking()
            .Where(u => u.Kind.IsBranch && u.ClosedOn == null)
            .OrderBy(u => u.Path)
            .Select(u => new Row(u.Id, u.Name,
                db.Members.Count(m => m.BranchId == u.Id && m.Status == MemberStatus.Active),
                db.Pledges.Where(p => p.BranchId == u.Id && p.Year == year).Select(p => p.MemberId).Distinct().Count(),
                db.Pledges.Count(p => p.BranchId == u.Id && p.Year == year),
                db.Pledges.Count(p => p.BranchId == u.Id && p.Year == year && p.Status == PledgeStatus.Done)))
            .Take(500)
            .ToListAsync(ct);
        return Page();
    }
}
