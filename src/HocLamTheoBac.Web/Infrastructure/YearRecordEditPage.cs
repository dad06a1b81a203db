using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>The posted form of a unit's yearly record: carries the version the user saw (optimistic concurrency).</summary>
public interface IVersionedInput
{
    uint Version { get; set; }
}

/// <summary>
/// The edit page of a unit's yearly record (pressing problems, leaders' tasks): load the record with its unit, or the unit
/// of a new record, for those who manage the unit's year records (404 otherwise); save with the posted version; on a
/// conflict, keep what the user typed in the form, unsaved, and name the fields where the record as it is now differs
/// (<see cref="StaleForms"/>); deletion is soft.
/// A page says only what differs: its form, how the form is read from and written to the record, and its sentences.
/// </summary>
public abstract class YearRecordEditPage<T, TInput>(AppDbContext db, AccessService access) : PageModel
    where T : class, IYearly, ISoftDeletable
    where TInput : class, IVersionedInput, new()
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public TInput Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public T? Item { get; private set; }
    public int Year { get; private set; }
    /// <summary>The year is closed for the unit: the form is shown read only, with the banner, before anyone types (the walk of session 16).</summary>
    public bool YearClosed { get; private set; }

    /// <summary>The form showing the record.</summary>
    protected abstract TInput ToInput(T item);
    /// <summary>A new record of the unit's year with its required fields empty (<see cref="Apply"/> fills them).</summary>
    protected abstract T Create(int unitId, int year);
    /// <summary>Writes the (valid) form into the record.</summary>
    protected abstract void Apply(T item);
    protected abstract string SavedMessage(T item);
    protected abstract string DeletedMessage(T item);
    /// <summary>The conflict message when someone else deleted the record meanwhile.</summary>
    protected abstract string GoneMessage { get; }
    /// <summary>The page's own checks of the posted form beyond its attributes (errors into the model state).</summary>
    protected virtual void Validate() { }
    /// <summary>The conflict's first sentence when someone else changed the record meanwhile (the differences follow it).</summary>
    protected abstract string ChangedMessage(T current);

    public async Task<IActionResult> OnGetAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, year, ct)) return NotFound();
        if (Item is not null) Input = ToInput(Item);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(id, unitId, year, ct))
        {
            // Deleted in another tab: say so and keep what was typed (nothing is saved).
            if (id is not int key || await DeletedRecords.FindAsync<T>(db, access, key, ct) is not var (gone, unit)) return NotFound();
            (Item, Unit, Year) = (gone, unit, gone.Year);
            ModelState.Clear();
            ModelState.AddModelError("", GoneMessage);
            return Page();
        }
        Validate();
        if (!ModelState.IsValid) return Page();
        var item = Item ?? db.Set<T>().Add(Create(Unit.Id, Year)).Entity;
        if (Item is not null) db.Entry(item).Property("Version").OriginalValue = Input.Version;
        Apply(item);
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = SavedMessage(item);
        return RedirectToPage("Index", new { unitId = Unit.Id, year = item.Year });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, null, null, ct) || Item is null)
        {
            // Deleted in another tab meanwhile: what the user asked for is done; say by whom.
            if (await DeletedRecords.FindAsync<T>(db, access, id, ct) is not var (gone, unit)) return NotFound();
            StatusMessage = GoneMessage;
            return RedirectToPage("Index", new { unitId = unit.Id, year = gone.Year });
        }
        db.Entry(Item).Property("Version").OriginalValue = Input.Version;
        Item.DeletedAt = db.Clock.Now;
        if (!await SaveAsync(ct)) return Page();
        StatusMessage = DeletedMessage(Item);
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Item.Year });
    }

    /// <summary>
    /// Saves. When someone else changed or deleted the record meanwhile, forgets this request's changes, replaces the
    /// form's errors with the page's message and shows the current record.
    /// </summary>
    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        var id = Item is null ? 0 : db.Entry(Item).Property<int>("Id").CurrentValue;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Set<T>().AsNoTracking().FirstOrDefaultAsync(x => EF.Property<int>(x, "Id") == id, ct);
            ModelState.Clear();
            if (current is null)
            {
                ModelState.AddModelError("", GoneMessage);
                return false;
            }
            var now = ToInput(current);
            ModelState.AddModelError("", StaleForms.Message(ChangedMessage(current), StaleForms.Differences(Input, now, typeof(T).Name)));
            Item = current;
            Input.Version = now.Version;
            return false;
        }
    }

    /// <summary>False when the record or the unit does not exist or lies outside the user's subtree: answer 404.</summary>
    private async Task<bool> LoadAsync(int? id, int? unitId, int? year, CancellationToken ct)
    {
        if (id is int key)
        {
            Item = await db.Set<T>().FirstOrDefaultAsync(x => EF.Property<int>(x, "Id") == key, ct);
            if (Item is null) return false;
            (unitId, year) = (Item.YearUnitId, Item.Year);
        }
        if (unitId is null) return false;
        var unit = await access.FindUnitAsync(unitId.Value, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        (Unit, Year) = (unit, UnitChoices.SaneYear(year, db.Clock));
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        return true;
    }
}
