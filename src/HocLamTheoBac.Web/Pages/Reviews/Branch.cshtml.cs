using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reviews;

/// <summary>
/// The branch's year-end review: each member's figures for the year, the review sheets (PDF), and the grade the
/// branch records for each member. Whoever sees the branch's members may read and print; the branch's secretary
/// records grades while the plan year is open (the same rule as the pledge grid).
/// </summary>
public sealed class BranchModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public List<GradeInput> Grades { get; set; } = [];

    public sealed class GradeInput
    {
        public int MemberId { get; set; }
        public GradeLevel? Level { get; set; }
        public string? Note { get; set; }
    }

    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool YearClosed { get; private set; }
    public bool CanGrade { get; private set; }
    public ReviewSheetModel Review { get; private set; } = null!;
    public List<string> Errors { get; } = [];
    /// <summary>A merged or closed branch says so under the title, as its dashboard and grid do (the walk of session 13).</summary>
    public Orgs.ClosedNote? Closed { get; private set; }

    private async Task<bool> LoadAsync(int unitId, int year, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(year)) return false;
        var unit = await access.FindUnitAsync(unitId, Permission.ViewMembers, ct);
        if (unit is null || !unit.Kind.IsBranch) return false;
        (Unit, Year) = (unit, year);
        var scope = await access.ScopeAsync(ct);
        YearClosed = await YearGuard.IsClosedAsync(db, unit.Path, year, ct);
        CanGrade = !YearClosed && AccessService.IsPledgeSecretary(scope, unit.Path);
        Closed = await Orgs.OrgQueries.ClosedNoteAsync(db, unit, scope, Permission.ViewMembers, ct);
        // The branch's members of that year (as of its as-of day): their sheets, and the summary's attendance line.
        var ids = await ReviewSheets.BranchMembersAsync(db, unit.Id, year, ct);
        Review = await ReviewSheets.LoadAsync(db, unit, year, ids, ct, branchMembers: ids);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int unitId, int year, CancellationToken ct) =>
        await LoadAsync(unitId, year, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(int unitId, int year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        return File(ReviewSheets.Render(Review), "application/pdf", $"phieu-tong-hop-kiem-diem-{year}-{Unit.Code}.pdf");
    }

    public async Task<IActionResult> OnPostAsync(int unitId, int year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        if (!CanGrade) return Refuse(YearClosed ? "Năm kế hoạch đã khóa sổ: không thể ghi nhận xếp loại." : "Chỉ bí thư chi bộ mới ghi nhận xếp loại đảng viên của chi bộ.");
        if (!ModelState.IsValid) return Refuse("Mức xếp loại không hợp lệ.");
        var members = Review.Members.Select(m => m.MemberId).ToHashSet();
        foreach (var g in Grades)
        {
            if (!members.Contains(g.MemberId)) return Refuse("Đảng viên không thuộc chi bộ.");
            if (g.Level is { } l && !Enum.IsDefined(l)) return Refuse("Mức xếp loại không hợp lệ.");
            if (g.Note?.Length > 1000) return Refuse("Ghi chú xếp loại tối đa 1000 ký tự.");
        }
        if (Grades.GroupBy(g => g.MemberId).Any(x => x.Count() > 1)) return Refuse("Mỗi đảng viên chỉ ghi một mức xếp loại trong một lần lưu.");
        var posted = Grades.Select(g => g.MemberId).ToList();
        var existing = await db.MemberGrades.Where(g => g.Year == year && posted.Contains(g.MemberId)).ToDictionaryAsync(g => g.MemberId, ct);
        foreach (var g in Grades)
        {
            var note = string.IsNullOrWhiteSpace(g.Note) ? null : g.Note.Trim();
            if (existing.TryGetValue(g.MemberId, out var row))
            {
                if (g.Level is null) row.DeletedAt = db.Clock.Now;
                else if (row.Level != g.Level || row.Note != note) (row.Level, row.Note, row.BranchId) = (g.Level.Value, note, Unit.Id);
            }
            else if (g.Level is { } level)
                db.MemberGrades.Add(new MemberGrade { MemberId = g.MemberId, BranchId = Unit.Id, Year = year, Level = level, Note = note });
        }
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã ghi nhận xếp loại đảng viên.";
        return RedirectToPage(new { unitId, year });
    }

    private PageResult Refuse(string message)
    {
        Errors.Add(message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
