using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Models;

public sealed class EditModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public ExemplaryModelInput Input { get; set; } = new();
    public ExemplaryModel Item { get; private set; } = null!;
    public OrgUnit Unit { get; private set; } = null!;
    public List<MemberChoice> Members { get; private set; } = [];
    /// <summary>The model's year is closed for its unit: said before anyone types, no buttons (the walk of session 16).</summary>
    public bool YearClosed { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = ToInput(Item);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            // Deleted in another tab: say so and keep what was typed (nothing is saved).
            if (await DeletedRecords.FindAsync<ExemplaryModel>(db, access, id, ct) is not var (gone, unit)) return NotFound();
            (Item, Unit) = (gone, unit);
            Members = await ExemplaryModelFormRules.MembersAsync(db, access, unit, ct);
            ModelState.Clear();
            ModelState.AddModelError("", GoneMessage);
            return Page();
        }
        ExemplaryModelFormRules.Check(Input, Members, Item.Year, ModelState);
        if (!ModelState.IsValid) return Page();
        db.Entry(Item).Property(x => x.Version).OriginalValue = Input.Version;
        Item.Kind = Input.Kind;
        Item.Title = Input.Title;
        Item.MemberId = Input.MemberId;
        Item.Field = Input.Field?.Trim();
        Item.Description = Input.Description?.Trim();
        Item.StartDate = Input.StartDate;
        Item.Status = Input.Status;
        Item.Evidence = Input.Evidence?.Trim();
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = $"Đã lưu “{Item.Title}”.";
        return RedirectToPage("Details", new { id = Item.Id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            // Deleted in another tab meanwhile: what the user asked for is done; say by whom.
            if (await DeletedRecords.FindAsync<ExemplaryModel>(db, access, id, ct) is not var (gone, _)) return NotFound();
            StatusMessage = GoneMessage;
            return RedirectToPage("Index", new { unitId = gone.OrgUnitId, year = gone.Year });
        }
        db.Entry(Item).Property(x => x.Version).OriginalValue = Input.Version;
        Item.DeletedAt = db.Clock.Now;
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = $"Đã xóa “{Item.Title}”.";
        return RedirectToPage("Index", new { unitId = Item.OrgUnitId, year = Item.Year });
    }

    private const string GoneMessage = "Mô hình này vừa bị người khác xóa.";

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == Item.Id, ct);
            ModelState.Clear();
            if (current is null)
            {
                ModelState.AddModelError("", GoneMessage);
                return false;
            }
            var now = ToInput(current);
            ModelState.AddModelError("", StaleForms.Message($"Mô hình vừa được người khác sửa (trạng thái hiện tại: {current.Status.Label()}).", StaleForms.Differences(Input, now, nameof(ExemplaryModel))));
            db.ChangeTracker.Clear();
            Item = current;
            Input.Version = now.Version;
            return false;
        }
    }

    private static ExemplaryModelInput ToInput(ExemplaryModel m) => new()
    {
        Kind = m.Kind, Title = m.Title, Field = m.Field, Description = m.Description, StartDate = m.StartDate,
        MemberId = m.MemberId, Status = m.Status, Evidence = m.Evidence, Version = m.Version,
    };

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var item = await db.Models.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (item is null) return false;
        var unit = await access.FindUnitAsync(item.OrgUnitId, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Item = item;
        Unit = unit;
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, item.Year, ct);
        Members = await ExemplaryModelFormRules.MembersAsync(db, access, unit, ct);
        return true;
    }
}
