using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Users;

/// <summary>
/// Accounts that hold a role somewhere in the administrator's subtree, by unit (the first, in Vietnamese order, of the
/// units where they hold a role in that subtree) then by name (ADR 0017), 50 a page, searched by e-mail or name.
/// </summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int P { get; set; } = 1;
    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public sealed record Row(string Id, string Email, string FullName, AccountLock.State Lock, List<string> Roles, bool Manageable);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (!scope.IsOperator && !scope.RootsFor(Permission.ManageAccounts).Any()) return NotFound();
        var units = access.Units(scope, Permission.ManageAccounts);
        var bindings = db.RoleBindings.AsNoTracking().Where(b => units.Any(u => u.Id == b.OrgUnitId));
        var users = db.Users.AsNoTracking().Where(u => bindings.Any(b => b.UserId == u.Id));
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            var like = VietnameseText.Contains(q);
            users = users.Where(u => EF.Functions.ILike(u.Email!, $"%{q}%") || EF.Functions.Like(VietnameseText.Fold(u.FullName), like));
        }
        Total = await users.CountAsync(ct);
        P = Math.Clamp(P, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        var list = await users
            .OrderBy(u => bindings.Where(b => b.UserId == u.Id).Min(b => EF.Functions.Collate(b.OrgUnit.Name, VietnameseText.Collation)))
            .ThenByName(u => u.FullName).ThenBy(u => u.Email).ThenBy(u => u.Id)
            .Skip((P - 1) * PageSize).Take(PageSize)
            .Select(u => new { u.Id, u.Email, u.FullName, u.LockoutEnd })
            .ToListAsync(ct);
        var ids = list.Select(u => u.Id).ToList();
        var manageable = (await access.ManageableAccounts(scope).Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        var roles = await db.RoleBindings.AsNoTracking().Where(b => ids.Contains(b.UserId))
            .Select(b => new { b.UserId, b.Role, Unit = b.OrgUnit.Name }).ToListAsync(ct);
        var now = db.Clock.Now;
        Rows = list.Select(u => new Row(u.Id, u.Email ?? "", u.FullName, AccountLock.Of(u.LockoutEnd, now),
            roles.Where(r => r.UserId == u.Id).OrderBy(r => r.Unit, VietnameseText.TextComparer).Select(r => $"{r.Role.Label()} – {r.Unit}").ToList(), manageable.Contains(u.Id))).ToList();
        return Page();
    }
}
