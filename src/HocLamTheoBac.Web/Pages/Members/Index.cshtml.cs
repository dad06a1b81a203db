using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>Members of a unit's subtree (a branch, or everything under a committee), with search and paging.</summary>
public sealed class IndexModel(AccessService access) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public int? Org { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int P { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public bool All { get; set; }

    public OrgUnit? Unit { get; private set; }
    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public bool CanEdit { get; private set; }
    public List<(int Id, string Name)> MyUnits { get; private set; } = [];

    public sealed record Row(int Id, string FullName, string? CardNumber, DateOnly? BirthDate, Gender? Gender, string? Position, string Branch, MemberStatus Status, bool Probationary);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (Org is null)
        {
            var bound = scope.Bindings.Select(b => b.OrgUnitId).ToList();
            MyUnits = await access.Units(scope, Permission.ViewMembers).AsNoTracking()
                .Where(u => bound.Contains(u.Id))
                .Select(u => new ValueTuple<int, string>(u.Id, u.Name)).ToListAsync(ct);
            if (MyUnits.Count == 1) return RedirectToPage(new { org = MyUnits[0].Id, q = Q });
            if (scope.MemberId is int own && MyUnits.Count == 0) return RedirectToPage("Edit", new { id = own });
            return Page();
        }
        Unit = await access.FindUnitAsync(Org.Value, Permission.ViewMembers, ct);
        if (Unit is null) return NotFound();
        CanEdit = AccessService.Can(scope, Permission.EditMembers, Unit.Path) && Unit.Kind.IsBranch && Unit.ClosedOn is null;
        var path = Unit.Path;
        var query = access.Members(scope, Permission.ViewMembers).AsNoTracking().Where(m => m.Branch.Path.IsDescendantOf(path));
        if (!All) query = query.Where(m => m.Status == MemberStatus.Active);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            var like = VietnameseText.Contains(q);
            query = query.Where(m => EF.Functions.Like(VietnameseText.Fold(m.FullName), like) || m.CardNumber == q || m.Phone == q
                                     || (q.Length >= 3 && m.CardNumber != null && m.CardNumber.StartsWith(q)));
        }
        Total = await query.CountAsync(ct);
        P = Math.Clamp(P, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        Rows = await query.OrderBy(m => EF.Functions.Collate(m.Branch.Name, VietnameseText.Collation)).ThenByName(m => m.FullName).ThenBy(m => m.Id).Skip((P - 1) * PageSize).Take(PageSize)
            .Select(m => new Row(m.Id, m.FullName, m.CardNumber, m.BirthDate, m.Gender, m.Position, m.Branch.Name, m.Status, m.OfficialOn == null))
            .ToListAsync(ct);
        return Page();
    }
}
