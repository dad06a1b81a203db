using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.StudySessions;

/// <summary>Adds (no id) or edits a study session; its year is the year of the date it was held.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public StudySession? Item { get; private set; }
    /// <summary>The year the form is for: the session's, or the one the list was showing.</summary>
    public int Year { get; private set; }
    /// <summary>
    /// The session may not be added or changed: the year is closed, or the unit was merged or dissolved in or before it
    /// (<see cref="YearGuard.IsReadOnlyAsync"/>; a session held before that day stays changeable). The page says so and
    /// offers no save (the walk of session 19: the form was offered and refused only on save).
    /// </summary>
    public bool YearClosed { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập ngày học tập.")]
        [Display(Name = "Ngày học tập")] public DateOnly? HeldOn { get; set; }

        [Required(ErrorMessage = "Vui lòng nhập chuyên đề.")]
        [StringLength(1000, ErrorMessage = "Chuyên đề tối đa 1.000 ký tự.")]
        public string Theme { get; set; } = "";

        [EnumDataType(typeof(SessionFormat), ErrorMessage = "Hình thức không hợp lệ.")]
        public SessionFormat Format { get; set; } = SessionFormat.InPerson;
    }

    public async Task<IActionResult> OnGetAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, ct)) return NotFound();
        Input = Item is { } s
            ? new InputModel { HeldOn = s.HeldOn, Theme = s.Theme, Format = s.Format }
            : new InputModel { HeldOn = year is int y && y != db.Clock.Today.Year ? new DateOnly(UnitChoices.SaneYear(y, db.Clock), 1, 1) : db.Clock.Today };
        Year = Item?.Year ?? Input.HeldOn!.Value.Year;
        YearClosed = await YearGuard.IsReadOnlyAsync(db, Unit, Year, ct, Item?.HeldOn);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, int? unitId, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, ct)) return NotFound();
        if (Input.HeldOn is { } held && !PlanYearRange.Contains(held.Year)) ModelState.AddModelError("Input.HeldOn", "Ngày học tập không hợp lệ.");
        // A session planned later this year is fine; one of a year not begun belongs to that year's plan (the walk of session 16).
        else if (Input.HeldOn is { } later && later.Year > db.Clock.Today.Year)
            ModelState.AddModelError("Input.HeldOn", $"Ngày học tập {Vn.Date(later)} thuộc năm {later.Year} chưa bắt đầu: chỉ ghi buổi học tập của năm nay hoặc các năm trước.");
        if (!ModelState.IsValid) return Page();
        var s = Item ?? db.StudySessions.Add(new StudySession { OrgUnitId = Unit.Id, Theme = "" }).Entity;
        s.HeldOn = Input.HeldOn!.Value;
        s.Year = s.HeldOn.Year;
        s.Theme = Input.Theme.Trim();
        s.Format = Input.Format;
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã lưu buổi học tập ngày {Vn.Date(s.HeldOn)}.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = s.Year });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, null, ct) || Item is null) return NotFound();
        Item.DeletedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã xóa buổi học tập ngày {Vn.Date(Item.HeldOn)}.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Item.Year });
    }

    private async Task<bool> LoadAsync(int? id, int? unitId, CancellationToken ct)
    {
        if (id is int sid)
        {
            Item = await db.StudySessions.FirstOrDefaultAsync(s => s.Id == sid, ct);
            if (Item is null) return false;
            unitId = Item.OrgUnitId;
        }
        if (unitId is null) return false;
        var unit = await access.FindUnitAsync(unitId.Value, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Unit = unit;
        return true;
    }
}
