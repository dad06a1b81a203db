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
        /// <summary>The grade's version when the form was opened (0: none yet): a grade changed elsewhere since is not
        /// overwritten (the attack walk of session 14: a stale tab's "Chưa xếp loại" deleted a colleague's grade).</summary>
        public uint? Seen { get; set; }
    }

    /// <summary>Each member's grade version for the form's <see cref="GradeInput.Seen"/>.</summary>
    public Dictionary<int, uint> GradeVersions { get; private set; } = [];

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
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, year, ct);
        CanGrade = !YearClosed && AccessService.IsPledgeSecretary(scope, unit.Path);
        Closed = await Orgs.OrgQueries.ClosedNoteAsync(db, unit, scope, Permission.ViewMembers, ct);
        // The branch's members of that year (as of its as-of day): their sheets, and the summary's attendance line.
        var ids = await ReviewSheets.BranchMembersAsync(db, unit.Id, year, ct);
        Review = await ReviewSheets.LoadAsync(db, unit, year, ids, ct, branchMembers: ids);
        if (CanGrade) GradeVersions = await db.MemberGrades.AsNoTracking().Where(g => g.Year == year && ids.Contains(g.MemberId)).ToDictionaryAsync(g => g.MemberId, g => g.Version, ct);
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
        if (!CanGrade) return Refuse(YearClosed ? YearClosure.Refusal(Unit, Year) : "Chỉ bí thư chi bộ mới ghi nhận xếp loại đảng viên của chi bộ.");
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
        var names = Review.Members.ToDictionary(m => m.MemberId, m => m.FullName);
        static string Label(GradeLevel? l) => l?.Label() ?? "Chưa xếp loại";
        var kept = new List<string>();
        foreach (var g in Grades)
        {
            var note = string.IsNullOrWhiteSpace(g.Note) ? null : g.Note.Trim();
            existing.TryGetValue(g.MemberId, out var row);
            var unchanged = row is null ? g.Level is null : row.Level == g.Level && row.Note == note;
            if (unchanged) continue;
            // Changed elsewhere since this form was opened: the other's grade stays, this one is said, not saved.
            if (g.Seen is uint seen && seen != (row?.Version ?? 0))
            {
                kept.Add($"{names[g.MemberId]}: vừa được ghi ở nơi khác là “{Label(row?.Level)}”, bạn chọn “{Label(g.Level)}”");
                continue;
            }
            if (row is not null)
            {
                if (g.Seen is uint v) db.Entry(row).Property(x => x.Version).OriginalValue = v;
                if (g.Level is null) row.DeletedAt = db.Clock.Now;
                else (row.Level, row.Note, row.BranchId) = (g.Level.Value, note, Unit.Id);
            }
            else if (g.Level is { } level)
                db.MemberGrades.Add(new MemberGrade { MemberId = g.MemberId, BranchId = Unit.Id, Year = year, Level = level, Note = note });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || e is DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } })
        {
            // Saved by another tab in the same instant: nothing of this form was saved; the page shows what was.
            StatusMessage = "Xếp loại vừa được ghi ở nơi khác cùng lúc nên chưa lưu lựa chọn của bạn. Bảng dưới đây là xếp loại đã lưu; vui lòng xem lại rồi lưu lần nữa.";
            return RedirectToPage(new { unitId, year });
        }
        StatusMessage = kept.Count == 0 ? "Đã ghi nhận xếp loại đảng viên."
            : $"Đã ghi nhận xếp loại đảng viên, trừ {kept.Count} người có xếp loại vừa được ghi ở nơi khác (giữ nguyên, vui lòng xem lại): {string.Join("; ", kept)}.";
        return RedirectToPage(new { unitId, year });
    }

    private PageResult Refuse(string message)
    {
        Errors.Add(message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
