using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// The reminder list shown after sign-in: the user's own overdue or due-soon pledges, and for a secretary
/// those of their branches plus what waits for approval or verification. Computed on request; nothing is marked.
/// </summary>
public sealed class RemindersViewComponent(AppDbContext db, AccessService access) : ViewComponent
{
    public sealed record Item(int Id, string MemberName, string Content, DateOnly? Deadline, PledgeStatus Status, DeadlineState State);
    public sealed record Model(List<Item> Items, int Waiting);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var ct = HttpContext.RequestAborted;
        var scope = await access.ScopeAsync(ct);
        var today = db.Clock.Today;
        var soon = today.AddDays(PledgeRules.DueSoonDays);
        var branches = scope.Bindings.Where(b => b.Role == AppRole.Secretary).Select(b => b.OrgUnitId).ToList();
        var own = scope.MemberId ?? -1;
        var year = db.Clock.Year;
        var open = PledgeSets.Open;
        var rows = await db.Pledges.AsNoTracking()
            .Where(p => p.Year <= year && (p.MemberId == own || branches.Contains(p.BranchId)) && p.Deadline != null && p.Deadline <= soon && open.Contains(p.Status))
            .Where(YearGuard.InOpenYear(db))
            .OrderBy(p => p.Deadline).Take(50)
            .Select(p => new { p.Id, p.Member.FullName, p.Content, p.Deadline, p.Status })
            .ToListAsync(ct);
        var waiting = branches.Count == 0 ? 0 : await db.Pledges.Where(p => branches.Contains(p.BranchId) && p.Year == year && PledgeSets.Waiting.Contains(p.Status)).Where(YearGuard.InOpenYear(db)).CountAsync(ct);
        var items = rows.Select(r => new Item(r.Id, r.FullName, r.Content, r.Deadline, r.Status, PledgeRules.Deadline(r.Status, r.Deadline, today, yearClosed: false))).ToList(); // closed years left out above
        return View("/Pages/Pledges/_Reminders.cshtml", new Model(items, waiting));
    }
}
