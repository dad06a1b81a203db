using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// One member's pledges of a year: where the QR code of a printed sheet leads. The member sees their own
/// (with a link to "my pledges" to write), the branch and its ancestors see them as on the grid; others get 404.
/// </summary>
public sealed class MemberModel(AccessService access) : PageModel
{
    public sealed record Row(int Id, string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status, string? EvidenceNote);

    public int Year { get; private set; }
    public string FullName { get; private set; } = "";
    public string BranchName { get; private set; } = "";
    public bool IsSelf { get; private set; }
    public List<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int memberId, int year, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(year)) return NotFound();
        var scope = await access.ScopeAsync(ct);
        var member = await access.Members(scope, Permission.ViewMembers).AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.FullName, Branch = m.Branch.Name }).FirstOrDefaultAsync(ct);
        if (member is null) return NotFound();
        (Year, FullName, BranchName, IsSelf) = (year, member.FullName, member.Branch, scope.MemberId == memberId);
        Rows = await access.Pledges(scope).AsNoTracking().Where(p => p.MemberId == memberId && p.Year == year && p.DeletedAt == null)
            .OrderBy(p => p.Id).Select(p => new Row(p.Id, p.Content, p.Solution, p.Deadline, p.Status, p.EvidenceNote)).ToListAsync(ct);
        return Page();
    }
}
