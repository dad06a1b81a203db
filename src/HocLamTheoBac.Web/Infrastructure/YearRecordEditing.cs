using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// The shape of the edit page of a unit's yearly record (pressing problems, leaders' tasks): load the record with its unit,
/// or the unit of a new record, for those who manage the unit's year records; save with the posted version; on a
/// conflict, hand back the record as it is now (null when someone deleted it) so the page can show it.
/// </summary>
public static class YearRecordEditing
{
    public sealed record Loaded<T>(T? Item, OrgUnit Unit, int Year);

    public sealed record Saved<T>(bool Ok, T? Current);

    /// <summary>Null when the record or the unit does not exist or lies outside the user's subtree: answer 404.</summary>
    public static async Task<Loaded<T>?> LoadAsync<T>(AppDbContext db, AccessService access, int? id, int? unitId, int? year, CancellationToken ct)
        where T : class, IYearly
    {
        T? item = null;
        if (id is int key)
        {
            item = await db.Set<T>().FirstOrDefaultAsync(x => EF.Property<int>(x, "Id") == key, ct);
            if (item is null) return null;
            (unitId, year) = (item.YearUnitId, item.Year);
        }
        if (unitId is null) return null;
        var unit = await access.FindUnitAsync(unitId.Value, Permission.ManageYearRecords, ct);
        return unit is null ? null : new Loaded<T>(item, unit, UnitChoices.SaneYear(year, db.Clock));
    }

    /// <summary>
    /// Saves. When someone else changed or deleted the record meanwhile, forgets this request's changes, replaces the
    /// form's errors with the page's message (deleted, or changed with the current values) and returns the current record.
    /// </summary>
    public static async Task<Saved<T>> SaveAsync<T>(AppDbContext db, int id, ModelStateDictionary modelState, string deleted, Func<T, string> changed, CancellationToken ct)
        where T : class
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return new Saved<T>(true, null);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Set<T>().AsNoTracking().FirstOrDefaultAsync(x => EF.Property<int>(x, "Id") == id, ct);
            modelState.Clear();
            modelState.AddModelError("", current is null ? deleted : changed(current));
            return new Saved<T>(false, current);
        }
    }
}
