using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Collective;

/// <summary>A unit's collective plan for the year, with what it still lacks against the minimum contents.</summary>
public sealed class UnitModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    [BindProperty] public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        public int? Id { get; set; }
        public uint Version { get; set; }
        public CollectiveCategory Category { get; set; } = CollectiveCategory.Study;
        [Required(ErrorMessage = "Vui lòng nhập nội dung."), StringLength(2000, ErrorMessage = "Nội dung tối đa 2000 ký tự.")]
        public string? What { get; set; }
        [StringLength(4000, ErrorMessage = "Cách thực hiện tối đa 4000 ký tự.")] public string? How { get; set; }
        [StringLength(300, ErrorMessage = "Người chủ trì tối đa 300 ký tự.")] public string? Lead { get; set; }
        [Display(Name = "Thời hạn")] public DateOnly? Deadline { get; set; }
        public int? TopicId { get; set; }
        public CollectiveStatus Status { get; set; } = CollectiveStatus.Registered;
    }

    public sealed record Row(int Id, CollectiveCategory Category, string What, string? How, string? Lead, DateOnly? Deadline, string? Topic, CollectiveStatus Status, uint Version);

    public OrgUnit Unit { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public bool YearClosed { get; private set; }
    public List<Row> Rows { get; private set; } = [];
    public IReadOnlyList<string> Missing { get; private set; } = [];
    public List<(int Id, string Title)> Topics { get; private set; } = [];
    public List<string> Errors { get; } = [];

    private async Task<bool> LoadAsync(int unitId, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ViewUnit, ct);
        if (unit is null) return false;
        Unit = unit;
        var year = Year;
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, year, ct);
        CanEdit = !YearClosed && (await access.CanAsync(Permission.ManagePledges, unitId, ct) || await access.CanAsync(Permission.PlanYear, unitId, ct));
        var ids = OrgPaths.Ids(unit.Path).ToList();
        Topics = (await db.Topics.AsNoTracking().Where(t => t.Year == year && ids.Contains(t.OrgUnitId)).OrderBy(t => t.Id).Select(t => new { t.Id, t.Title }).ToListAsync(ct))
            .Select(t => (t.Id, t.Title)).ToList();
        Rows = await db.CollectivePledges.AsNoTracking().Where(c => c.OrgUnitId == unitId && c.Year == year)
            .OrderBy(c => c.Category).ThenBy(c => c.Id)
            .Select(c => new Row(c.Id, c.Category, c.What, c.How, c.Lead, c.Deadline, db.Topics.Where(t => t.Id == c.TopicId).Select(t => t.Title).FirstOrDefault(), c.Status, c.Version))
            .ToListAsync(ct);
        Missing = CollectivePlanRules.Missing(Rows.Select(r => r.Category));
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int unitId, int? edit, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (edit is int id && Rows.FirstOrDefault(r => r.Id == id) is { } r)
            Input = new InputModel { Id = r.Id, Version = r.Version, Category = r.Category, What = r.What, How = r.How, Lead = r.Lead, Deadline = r.Deadline, Status = r.Status,
                TopicId = await db.CollectivePledges.Where(c => c.Id == id).Select(c => c.TopicId).SingleAsync(ct) };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanEdit) { Errors.Add(YearClosed ? YearClosure.Refusal(Unit, Year) : "Bạn chỉ có quyền xem kế hoạch của tập thể này."); return Page(); }
        if (!Enum.IsDefined(Input.Category)) ModelState.AddModelError("Input.Category", "Nhóm nội dung không hợp lệ.");
        if (!Enum.IsDefined(Input.Status)) ModelState.AddModelError("Input.Status", "Trạng thái không hợp lệ.");
        if (Input.TopicId is int t && Topics.All(x => x.Id != t)) ModelState.AddModelError("Input.TopicId", "Nội dung đột phá không hợp lệ.");
        if (!ModelState.IsValid) return Page();
        CollectivePledge item;
        if (Input.Id is int id)
        {
            var found = await db.CollectivePledges.FirstOrDefaultAsync(c => c.Id == id && c.OrgUnitId == unitId && c.Year == Year, ct);
            if (found is null) return NotFound();
            item = found;
            db.Entry(item).Property(x => x.Version).OriginalValue = Input.Version;
        }
        else item = db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = unitId, Year = Year, What = "" }).Entity;
        item.Category = Input.Category;
        item.What = Input.What!.Trim();
        item.How = string.IsNullOrWhiteSpace(Input.How) ? null : Input.How.Trim();
        item.Lead = string.IsNullOrWhiteSpace(Input.Lead) ? null : Input.Lead.Trim();
        item.Deadline = Input.Deadline;
        item.TopicId = Input.TopicId;
        item.Status = Input.Status;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.CollectivePledges.AsNoTracking().FirstAsync(c => c.Id == item.Id, ct);
            Errors.Add($"Nội dung này vừa được người khác sửa, thay đổi của bạn chưa được lưu. Giá trị hiện tại: “{current.What}” ({current.Category.Label()}).");
            await LoadAsync(unitId, ct);
            Input.Version = current.Version;
            return Page();
        }
        StatusMessage = "Đã lưu kế hoạch của tập thể.";
        return RedirectToPage(new { unitId, Year, edit = (int?)null });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int unitId, int id, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (!CanEdit) { Errors.Add("Bạn không thể xóa nội dung này."); return Page(); }
        var item = await db.CollectivePledges.FirstOrDefaultAsync(c => c.Id == id && c.OrgUnitId == unitId, ct);
        if (item is null) return NotFound();
        item.DeletedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã xóa nội dung.";
        return RedirectToPage(new { unitId, Year });
    }
}
