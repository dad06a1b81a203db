using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.LeaderTasks;

/// <summary>Assigns (no id) or tracks a breakthrough task given to a named leader.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public LeaderTask? Item { get; private set; }
    public int Year { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập họ tên người đứng đầu.")]
        [StringLength(200, ErrorMessage = "Họ tên tối đa 200 ký tự.")]
        public string LeaderName { get; set; } = "";

        [StringLength(300, ErrorMessage = "Chức vụ tối đa 300 ký tự.")]
        public string? LeaderPosition { get; set; }

        [Required(ErrorMessage = "Vui lòng nhập nhiệm vụ.")]
        [StringLength(1000, ErrorMessage = "Nhiệm vụ tối đa 1.000 ký tự.")]
        public string Title { get; set; } = "";

        [Display(Name = "Thời hạn")] public DateOnly? Deadline { get; set; }

        [EnumDataType(typeof(LeaderTaskStatus), ErrorMessage = "Trạng thái không hợp lệ.")]
        public LeaderTaskStatus Status { get; set; } = LeaderTaskStatus.Assigned;

        [StringLength(4000, ErrorMessage = "Kết quả tối đa 4.000 ký tự.")]
        public string? Outcome { get; set; }

        public uint Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, year, ct)) return NotFound();
        if (Item is not null) Input = ToInput(Item);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, year, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        var t = Item ?? db.LeaderTasks.Add(new LeaderTask { OrgUnitId = Unit.Id, Year = Year, LeaderName = "", Title = "" }).Entity;
        if (Item is not null) db.Entry(t).Property(x => x.Version).OriginalValue = Input.Version;
        t.LeaderName = Input.LeaderName.Trim();
        t.LeaderPosition = Input.LeaderPosition?.Trim();
        t.Title = Input.Title.Trim();
        t.Deadline = Input.Deadline;
        t.Status = Input.Status;
        t.Outcome = Input.Outcome?.Trim();
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = $"Đã lưu nhiệm vụ của đồng chí {t.LeaderName}.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = t.Year });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, null, null, ct) || Item is null) return NotFound();
        db.Entry(Item).Property(x => x.Version).OriginalValue = Input.Version;
        Item.DeletedAt = db.Clock.Now;
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = "Đã xóa nhiệm vụ.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Item.Year });
    }

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        var (ok, current) = await YearRecordEditing.SaveAsync<LeaderTask>(db, Item?.Id ?? 0, ModelState, "Nhiệm vụ này vừa bị người khác xóa.",
            t => $"Nhiệm vụ vừa được người khác cập nhật (trạng thái hiện tại: {t.Status.Label()}). Dưới đây là nội dung hiện tại; thay đổi của bạn chưa được lưu.", ct);
        if (current is not null) (Item, Input) = (current, ToInput(current));
        return ok;
    }

    private static InputModel ToInput(LeaderTask t) => new()
    {
        LeaderName = t.LeaderName, LeaderPosition = t.LeaderPosition, Title = t.Title, Deadline = t.Deadline,
        Status = t.Status, Outcome = t.Outcome, Version = t.Version,
    };

    private async Task<bool> LoadAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (await YearRecordEditing.LoadAsync<LeaderTask>(db, access, id, unitId, year, ct) is not { } loaded) return false;
        (Item, Unit, Year) = (loaded.Item, loaded.Unit, loaded.Year);
        return true;
    }
}
