using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Problems;

/// <summary>Registers (no id) or updates a pressing problem: owner, deadline, progress notes, outcome.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public PressingProblem? Item { get; private set; }
    public int Year { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập nội dung vấn đề.")]
        [StringLength(1000, ErrorMessage = "Nội dung tối đa 1.000 ký tự.")]
        public string Title { get; set; } = "";

        [StringLength(300, ErrorMessage = "Người chịu trách nhiệm tối đa 300 ký tự.")]
        public string? Owner { get; set; }

        [Display(Name = "Thời hạn giải quyết")] public DateOnly? Deadline { get; set; }

        [StringLength(8000, ErrorMessage = "Tiến độ tối đa 8.000 ký tự.")]
        public string? ProgressNotes { get; set; }

        [EnumDataType(typeof(ProblemOutcome), ErrorMessage = "Kết quả không hợp lệ.")]
        public ProblemOutcome Outcome { get; set; } = ProblemOutcome.Open;

        [Display(Name = "Ngày có kết quả")] public DateOnly? ResolvedOn { get; set; }

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
        if (Input.Outcome == ProblemOutcome.Resolved && Input.ResolvedOn is null) Input.ResolvedOn = db.Clock.Today;
        if (!ModelState.IsValid) return Page();
        var p = Item ?? db.PressingProblems.Add(new PressingProblem { OrgUnitId = Unit.Id, Year = Year, Title = "" }).Entity;
        if (Item is not null) db.Entry(p).Property(x => x.Version).OriginalValue = Input.Version;
        p.Title = Input.Title.Trim();
        p.Owner = Input.Owner?.Trim();
        p.Deadline = Input.Deadline;
        p.ProgressNotes = Input.ProgressNotes?.Trim();
        p.Outcome = Input.Outcome;
        p.ResolvedOn = Input.Outcome == ProblemOutcome.Open ? null : Input.ResolvedOn;
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = $"Đã lưu vấn đề \"{p.Title}\".";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = p.Year });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, null, null, ct) || Item is null) return NotFound();
        db.Entry(Item).Property(x => x.Version).OriginalValue = Input.Version;
        Item.DeletedAt = db.Clock.Now;
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = $"Đã xóa vấn đề \"{Item.Title}\".";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Item.Year });
    }

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        var (ok, current) = await YearRecordEditing.SaveAsync<PressingProblem>(db, Item?.Id ?? 0, ModelState, "Vấn đề này vừa bị người khác xóa.",
            p => $"Vấn đề vừa được người khác cập nhật (kết quả hiện tại: {p.Outcome.Label()}). Dưới đây là nội dung hiện tại; thay đổi của bạn chưa được lưu.", ct);
        if (current is not null) (Item, Input) = (current, ToInput(current));
        return ok;
    }

    private static InputModel ToInput(PressingProblem p) => new()
    {
        Title = p.Title, Owner = p.Owner, Deadline = p.Deadline, ProgressNotes = p.ProgressNotes,
        Outcome = p.Outcome, ResolvedOn = p.ResolvedOn, Version = p.Version,
    };

    private async Task<bool> LoadAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (await YearRecordEditing.LoadAsync<PressingProblem>(db, access, id, unitId, year, ct) is not { } loaded) return false;
        (Item, Unit, Year) = (loaded.Item, loaded.Unit, loaded.Year);
        return true;
    }
}
