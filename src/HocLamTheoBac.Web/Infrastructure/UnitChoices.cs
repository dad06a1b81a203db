using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>A unit as offered in a picker, indented by depth.</summary>
public sealed record UnitChoice(int Id, string Code, string Name, int Depth);

/// <summary>The unit-and-year picker shared by the yearly record pages (models, sessions, problems…).</summary>
public sealed record UnitYearPicker(IReadOnlyList<UnitChoice> Units, int UnitId, int Year, string Page);

/// <summary>A unit and the year of its records that a page shows.</summary>
public sealed record UnitYear(OrgUnit Unit, int Year);

public static class UnitChoices
{
    /// <summary>
    /// Units the user may reach for a permission that were open at some time of <paramref name="year"/> or later, in tree
    /// order (first 1000; a unit's founding year is not asked: a unit imported today may keep last year's records): a
    /// unit dissolved or merged that year or later is listed with the day it closed, so its records of past years are
    /// reachable from the picker, not only by typing its id into the address (the walk of session 15).
    /// </summary>
    public static async Task<List<UnitChoice>> VisibleAsync(this AccessService access, Permission p, int year, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var firstDay = new DateOnly(year, 1, 1);
        var rows = await access.Units(scope, p).AsNoTracking().Where(u => u.ClosedOn == null || u.ClosedOn >= firstDay)
            .OrderBy(u => u.Path).Take(1000)
            .Select(u => new { u.Id, u.Code, u.Name, u.ClosedOn, Level = u.Path.NLevel }).ToListAsync(ct);
        var top = rows.Count == 0 ? 0 : rows.Min(r => r.Level);
        return rows.Select(r => new UnitChoice(r.Id, r.Code, r.ClosedOn is { } closed ? $"{r.Name} (đã giải thể/hợp nhất {Vn.Date(closed)})" : r.Name, r.Level - top)).ToList();
    }

    /// <summary>The unit a page opens on when none is asked for: the user's first bound unit.</summary>
    public static async Task<int?> HomeUnitAsync(this AccessService access, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        return scope.Bindings.OrderBy(b => b.Path.ToString().Count(c => c == '.')).Select(b => (int?)b.OrgUnitId).FirstOrDefault();
    }

    /// <summary>
    /// The unit and year a yearly records page shows: the unit asked for (else the user's first bound unit) when the user
    /// reaches it for the permission, and the year asked for when it lies in the plan-year range (else this year). Null: answer 404.
    /// </summary>
    public static async Task<UnitYear?> FindUnitYearAsync(this AccessService access, int? unitId, int? year, Permission p, VietnamCalendar clock, CancellationToken ct)
    {
        var id = unitId ?? await access.HomeUnitAsync(ct);
        if (id is null) return null;
        var unit = await access.FindUnitAsync(id.Value, p, ct);
        return unit is null ? null : new UnitYear(unit, SaneYear(year, clock));
    }

    /// <summary>Years accepted by the yearly pages; anything else falls back to the current year.</summary>
    public static int SaneYear(int? year, VietnamCalendar clock) => year is int y && PlanYearRange.Contains(y) ? y : clock.Year;
}
