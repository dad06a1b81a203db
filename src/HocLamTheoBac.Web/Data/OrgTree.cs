using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HocLamTheoBac.Web.Data;

/// <summary>Tree changes that must keep paths and placement history consistent.</summary>
public static class OrgTree
{
    public static async Task<int> NextIdAsync(this AppDbContext db, string table, CancellationToken ct)
    {
        var next = await db.ScalarAsync($"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))", ct);
        return Convert.ToInt32(next, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a unit under <paramref name="parent"/> (tracked, not yet saved) with its first placement.</summary>
    public static async Task<OrgUnit> AddUnitAsync(this AppDbContext db, OrgUnit? parent, int kindId, string code, string name, DateOnly from, CancellationToken ct)
    {
        var id = await db.NextIdAsync("org_units", ct);
        var unit = new OrgUnit
        {
            Id = id, Code = code.Trim(), Name = name.Trim(), KindId = kindId, ParentId = parent?.Id,
            Path = OrgPaths.Child(parent?.Path, id), FoundedYear = from.Year,
        };
        db.OrgUnits.Add(unit);
        db.OrgPlacements.Add(new OrgPlacement { OrgUnitId = id, ParentId = parent?.Id, Path = unit.Path, ValidFrom = from });
        return unit;
    }

    /// <summary>
    /// Moves a unit and its whole subtree under <paramref name="newParent"/> from <paramref name="on"/>:
    /// rewrites descendants' paths in one statement and closes/opens placements so past years keep the old tree.
    /// The unit itself is changed through EF (tracked, audited): call SaveChanges before any other tree change.
    /// </summary>
    public static async Task MoveAsync(this AppDbContext db, OrgUnit unit, OrgUnit newParent, DateOnly on, CancellationToken ct)
    {
        var oldPath = unit.Path.ToString();
        var newPath = OrgPaths.Child(newParent.Path, unit.Id).ToString();
        var oldLevel = oldPath.Split('.').Length;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE org_placements p SET valid_to = {on}
            FROM org_units u
            WHERE p.org_unit_id = u.id AND u.path <@ {oldPath}::ltree AND p.valid_to IS NULL AND u.closed_on IS NULL
            """, ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE org_units SET path = {newPath}::ltree || subpath(path, {oldLevel})
            WHERE path <@ {oldPath}::ltree AND id <> {unit.Id}
            """, ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO org_placements (org_unit_id, parent_id, path, valid_from)
            SELECT id, parent_id, path, {on} FROM org_units
            WHERE path <@ {newPath}::ltree AND id <> {unit.Id} AND closed_on IS NULL
            """, ct);
        unit.ParentId = newParent.Id;
        unit.Path = new LTree(newPath);
        db.OrgPlacements.Add(new OrgPlacement { OrgUnitId = unit.Id, ParentId = newParent.Id, Path = unit.Path, ValidFrom = on });
    }

    /// <summary>Closes a unit (and its open subtree) from a date; its placements end there, history stays.</summary>
    public static async Task CloseAsync(this AppDbContext db, OrgUnit unit, DateOnly on, CancellationToken ct)
    {
        var path = unit.Path.ToString();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE org_placements p SET valid_to = {on}
            FROM org_units u WHERE p.org_unit_id = u.id AND u.path <@ {path}::ltree AND p.valid_to IS NULL
            """, ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE org_units SET closed_on = {on} WHERE path <@ {path}::ltree AND closed_on IS NULL AND id <> {unit.Id}
            """, ct);
        unit.ClosedOn = on;
    }

    /// <summary>The name of the unit <paramref name="unit"/> stood under on <paramref name="on"/> (a year's sheets print the
    /// parent of the year's as-of day, as its report and dashboard trail do); today's parent when no placement covers the
    /// day; "" at the top.</summary>
    public static async Task<string> ParentNameOnAsync(this AppDbContext db, OrgUnit unit, DateOnly on, CancellationToken ct)
    {
        var then = await db.PlacementsOn(on).Where(p => p.OrgUnitId == unit.Id).Select(p => new { p.ParentId }).FirstOrDefaultAsync(ct);
        var parentId = then is null ? unit.ParentId : then.ParentId;
        return parentId is null ? "" : await db.OrgUnits.AsNoTracking().Where(u => u.Id == parentId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
    }

    /// <summary>The units of a subtree as it stood on a date (e.g. 31/12 of a report year).</summary>
    public static IQueryable<OrgPlacement> PlacementsOn(this AppDbContext db, DateOnly on) =>
        db.OrgPlacements.Where(p => p.ValidFrom <= on && (p.ValidTo == null || p.ValidTo > on));
}
