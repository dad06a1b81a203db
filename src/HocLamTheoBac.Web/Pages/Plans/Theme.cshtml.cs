using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>Opens a unit's plan year (theme and plan document) or changes it while the year is open.</summary>
public sealed class ThemeModel(AppDbContext db, AccessService access) : PlanYearPage(db, access)
{
    [BindProperty] public PlanInput Plan { get; set; } = new();

    public sealed class PlanInput
    {
        [Required(ErrorMessage = "Vui lòng nhập chuyên đề năm."), StringLength(1000, ErrorMessage = "Chuyên đề tối đa 1000 ký tự.")]
        public string? Theme { get; set; }
        [StringLength(60, ErrorMessage = "Số kế hoạch tối đa 60 ký tự.")] public string? PlanNumber { get; set; }
        [Display(Name = "Ngày ban hành")] public DateOnly? PlanDate { get; set; }
        [Display(Name = "Hạn đăng ký")] public DateOnly? RegistrationDeadline { get; set; }
        public uint Version { get; set; }

        public static PlanInput From(PlanYear p) => new() { Theme = p.Theme, PlanNumber = p.PlanNumber, PlanDate = p.PlanDate, RegistrationDeadline = p.RegistrationDeadline, Version = p.Version };
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (Own is not null) Plan = PlanInput.From(Own);
        if (ClosedReason is { } closed) Errors.Add(closed);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        // Closed here, or by a unit above (the walk of session 17: a ward opened and rewrote its 2025 plan after the province closed 2025).
        if (ClosedReason is { } closed) { Errors.Add(closed); return Page(); }
        var opening = Own is null;
        var plan = Own ?? Db.PlanYears.Add(new PlanYear { OrgUnitId = unitId, Year = Year, Theme = "" }).Entity;
        if (!opening) Db.Entry(plan).Property(x => x.Version).OriginalValue = Plan.Version;
        plan.Theme = Plan.Theme!.Trim();
        plan.PlanNumber = string.IsNullOrWhiteSpace(Plan.PlanNumber) ? null : Plan.PlanNumber.Trim();
        plan.PlanDate = Plan.PlanDate;
        plan.RegistrationDeadline = Plan.RegistrationDeadline;
        try { await Db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            Db.ChangeTracker.Clear();
            await LoadAsync(unitId, toPlan: true, ct);
            Errors.Add($"Kế hoạch năm vừa được người khác sửa, thay đổi của bạn chưa được lưu. Chuyên đề hiện tại: “{Own?.Theme}”.");
            return Page();
        }
        return ToPlan(opening ? $"Đã mở năm kế hoạch {Year}." : "Đã lưu kế hoạch năm.");
    }
}
