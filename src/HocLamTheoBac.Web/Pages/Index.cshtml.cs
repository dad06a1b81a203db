using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages;

public sealed class IndexModel(AppDbContext db) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public List<Row> Bindings { get; private set; } = [];

    public sealed record Row(AppRole Role, int OrgUnitId, string UnitName);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        DisplayName = await db.Users.Where(u => u.Id == id).Select(u => u.FullName).FirstOrDefaultAsync(ct) ?? User.Identity?.Name ?? "";
        Bindings = await db.RoleBindings.AsNoTracking().Where(b => b.UserId == id)
            .OrderBy(b => b.Role).Select(b => new Row(b.Role, b.OrgUnitId, b.OrgUnit.Name)).ToListAsync(ct);
    }
}
