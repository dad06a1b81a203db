using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>
/// A unit's plan year: its own theme and plan document (or the nearest ancestor's), the topics and ethical
/// standards it sees (its own and every ancestor's), and close / reopen-with-reason for its subtree.
/// </summary>
public sealed class UnitModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    [BindProperty] public PlanInput Plan { get; set; } = new();
    [BindProperty] public TopicInput Topic { get; set; } = new();
    [BindProperty] public ReopenInput Reopen { get; set; } = new();

    public sealed class PlanInput
    {
        [Required(ErrorMessage = "Vui lòng nhập chuyên đề năm."), StringLength(1000, ErrorMessage = "Chuyên đề tối đa 1000 ký tự.")]
        public string? Theme { get; set; }
        [StringLength(60, ErrorMessage = "Số kế hoạch tối đa 60 ký tự.")] public string? PlanNumber { get; set; }
        [Display(Name = "Ngày ban hành")] public DateOnly? PlanDate { get; set; }
        [Display(Name = "Hạn đăng ký")] public DateOnly? RegistrationDeadline { get; set; }
        public uint Version { get; set; }
    }

    public sealed class TopicInput
    {
        public TopicKind Kind { get; set; } = TopicKind.Breakthrough;
        [Required(ErrorMessage = "Vui lòng nhập tên nội dung."), StringLength(500, ErrorMessage = "Tên tối đa 500 ký tự.")]
        public string? Title { get; set; }
        [StringLength(4000, ErrorMessage = "Mô tả tối đa 4000 ký tự.")] public string? Description { get; set; }
    }

    public sealed class ReopenInput
    {
        [Required(ErrorMessage = "Vui lòng ghi lý do mở lại."), StringLength(2000, ErrorMessage = "Lý do tối đa 2000 ký tự.")]
        public string? Reason { get; set; }
    }

    public sealed record TopicRow(int Id, TopicKind Kind, string Title, string? Description, string UnitName, bool Own);
    public sealed record PlanRow(string UnitName, string Theme, string? PlanNumber, DateOnly? PlanDate, DateOnly? RegistrationDeadline, DateTimeOffset? ClosedAt, bool Own);

    public OrgUnit Unit { get; private set; } = null!;
    public bool CanPlan { get; private set; }
    public PlanYear? Own { get; private set; }
    public PlanRow? Effective { get; private set; }
    public bool ClosedAbove { get; private set; }
    public List<TopicRow> Topics { get; private set; } = [];
    public List<string> Errors { get; } = [];

    private async Task<bool> LoadAsync(int unitId, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ViewUnit, ct);
        if (unit is null) return false;
        Unit = unit;
        CanPlan = await access.CanAsync(Permission.PlanYear, unitId, ct);
        var ids = OrgPaths.Ids(unit.Path).ToList();
        var year = Year;
        Own = await db.PlanYears.FirstOrDefaultAsync(p => p.OrgUnitId == unitId && p.Year == year, ct);
        var plans = await db.PlanYears.AsNoTracking().Where(p => p.Year == year && ids.Contains(p.OrgUnitId))
            .Select(p => new { p.OrgUnitId, p.OrgUnit.Name, p.Theme, p.PlanNumber, p.PlanDate, p.RegistrationDeadline, p.ClosedAt, Depth = p.OrgUnit.Path.NLevel })
            .ToListAsync(ct);
        Effective = plans.OrderByDescending(p => p.Depth).Select(p => new PlanRow(p.Name, p.Theme, p.PlanNumber, p.PlanDate, p.RegistrationDeadline, p.ClosedAt, p.OrgUnitId == unitId)).FirstOrDefault();
        ClosedAbove = plans.Any(p => p.ClosedAt != null && p.OrgUnitId != unitId);
        Topics = (await db.Topics.AsNoTracking().Where(t => t.Year == year && ids.Contains(t.OrgUnitId))
            .Select(t => new { t.Id, t.Kind, t.Title, t.Description, t.OrgUnitId, UnitName = db.OrgUnits.Where(u => u.Id == t.OrgUnitId).Select(u => u.Name).First(), Depth = db.OrgUnits.Where(u => u.Id == t.OrgUnitId).Select(u => u.Path.NLevel).First() })
            .ToListAsync(ct))
            .OrderBy(t => t.Depth).ThenBy(t => t.Id)
            .Select(t => new TopicRow(t.Id, t.Kind, t.Title, t.Description, t.UnitName, t.OrgUnitId == unitId)).ToList();
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (Own is not null) Plan = new PlanInput { Theme = Own.Theme, PlanNumber = Own.PlanNumber, PlanDate = Own.PlanDate, RegistrationDeadline = Own.RegistrationDeadline, Version = Own.Version };
        return Page();
    }

    private bool Validate(object model, string prefix)
    {
        ModelState.Clear();
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(model, new ValidationContext(model), results, true)) return true;
        foreach (var r in results) ModelState.AddModelError(prefix + "." + r.MemberNames.FirstOrDefault(), r.ErrorMessage ?? "Giá trị không hợp lệ.");
        return false;
    }

    public async Task<IActionResult> OnPostOpenAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanPlan) return NotFound();
        if (!Validate(Plan, nameof(Plan))) return Page();
        if (Own?.ClosedAt is not null) { Errors.Add("Năm kế hoạch đã khóa sổ; hãy mở lại (ghi lý do) trước khi sửa."); return Page(); }
        var plan = Own ?? db.PlanYears.Add(new PlanYear { OrgUnitId = unitId, Year = Year, Theme = "" }).Entity;
        if (Own is not null) db.Entry(plan).Property(x => x.Version).OriginalValue = Plan.Version;
        plan.Theme = Plan.Theme!.Trim();
        plan.PlanNumber = string.IsNullOrWhiteSpace(Plan.PlanNumber) ? null : Plan.PlanNumber.Trim();
        plan.PlanDate = Plan.PlanDate;
        plan.RegistrationDeadline = Plan.RegistrationDeadline;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            await LoadAsync(unitId, ct);
            Errors.Add($"Kế hoạch năm vừa được người khác sửa, thay đổi của bạn chưa được lưu. Chuyên đề hiện tại: “{Own?.Theme}”.");
            return Page();
        }
        StatusMessage = Own is null ? $"Đã mở năm kế hoạch {Year}." : "Đã lưu kế hoạch năm.";
        return RedirectToPage(new { unitId, Year });
    }

    public async Task<IActionResult> OnPostTopicAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanPlan) return NotFound();
        if (!Validate(Topic, nameof(Topic))) return Page();
        if (!Enum.IsDefined(Topic.Kind)) { Errors.Add("Loại nội dung không hợp lệ."); return Page(); }
        db.Topics.Add(new Topic { OrgUnitId = unitId, Year = Year, Kind = Topic.Kind, Title = Topic.Title!.Trim(), Description = string.IsNullOrWhiteSpace(Topic.Description) ? null : Topic.Description.Trim() });
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã thêm nội dung.";
        return RedirectToPage(new { unitId, Year });
    }

    public async Task<IActionResult> OnPostDeleteTopicAsync(int unitId, int topicId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanPlan) return NotFound();
        var topic = await db.Topics.FirstOrDefaultAsync(t => t.Id == topicId && t.OrgUnitId == unitId, ct);
        if (topic is null) return NotFound();
        topic.DeletedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã xóa nội dung.";
        return RedirectToPage(new { unitId, Year });
    }

    public async Task<IActionResult> OnPostCloseAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanPlan) return NotFound();
        if (Own is null) { Errors.Add("Cấp này chưa mở năm kế hoạch nên không thể khóa sổ."); return Page(); }
        if (Own.ClosedAt is not null) { Errors.Add("Năm kế hoạch đã khóa sổ."); return Page(); }
        Own.ClosedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã khóa sổ năm {Year} cho {Unit.Name} và các đơn vị trực thuộc.";
        return RedirectToPage(new { unitId, Year });
    }

    public async Task<IActionResult> OnPostReopenAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanPlan) return NotFound();
        if (!Validate(Reopen, nameof(Reopen))) return Page();
        if (Own?.ClosedAt is null) { Errors.Add("Năm kế hoạch chưa khóa sổ."); return Page(); }
        Own.ClosedAt = null;
        Own.NoteForAudit(Reopen.Reason!.Trim());
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã mở lại năm {Year}. Lý do đã được ghi vào nhật ký.";
        return RedirectToPage(new { unitId, Year });
    }
}
