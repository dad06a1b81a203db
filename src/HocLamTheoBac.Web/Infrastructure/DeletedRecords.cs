using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// A yearly record someone else deleted (softly) while a form for it was open in another tab. A form posted for it
/// says so — the record "was just deleted by someone else" — instead of a bare 404; only for a user who may manage the
/// record's unit (anyone else still gets the 404 a record outside their subtree gets).
/// </summary>
public static class DeletedRecords
{
    /// <summary>The soft-deleted record with this id and its unit, when the user manages that unit; null otherwise.</summary>
    public static async Task<(T Item, OrgUnit Unit)?> FindAsync<T>(AppDbContext db, AccessService access, int id, CancellationToken ct)
        where T : class, IYearly, ISoftDeletable
    {
        var item = await db.Set<T>().IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(x => EF.Property<int>(x, "Id") == id && ((ISoftDeletable)x).DeletedAt != null, ct);
        if (item is null) return null;
        var unit = await access.FindUnitAsync(item.YearUnitId, Permission.ManageYearRecords, ct);
        return unit is null ? null : (item, unit);
    }
}
