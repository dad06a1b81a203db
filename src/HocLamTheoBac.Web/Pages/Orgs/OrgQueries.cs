using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

public sealed record Crumb(int Id, string Name, bool CanOpen);

/// <summary>"… đã hợp nhất vào {IntoName} từ ngày …" (<see cref="OrgQueries.ClosedNoteAsync"/>): <see cref="Text"/>, then the
/// unit merged into (a link when <see cref="CanOpen"/>), then <see cref="Tail"/>.</summary>
public sealed record ClosedNote(string Text, int? IntoId, string? IntoName, bool CanOpen, string Tail = "");

public static class OrgQueries
{
    /// <summary>Names of the ancestors of a unit (root first), for the breadcrumb; a link only where the user may open the unit.</summary>
    public static async Task<List<Crumb>> BreadcrumbAsync(this AppDbContext db, OrgUnit unit, Infrastructure.UserScope scope, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unit.Path).ToList();
        var names = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.Path }).ToListAsync(ct);
        return ids.Select(id => names.First(n => n.Id == id))
            .Select(n => new Crumb(n.Id, n.Name, Infrastructure.AccessService.Can(scope, Infrastructure.Permission.ViewUnit, n.Path))).ToList();
    }

    /// <summary>For a unit closed or merged: the sentence its year pages show under their title, with the unit it was
    /// merged into when there is one (and whether the user may open that one's pages); null for a unit still active.</summary>
    public static async Task<ClosedNote?> ClosedNoteAsync(this AppDbContext db, OrgUnit unit, Infrastructure.UserScope scope, Infrastructure.Permission permission, CancellationToken ct)
    {
        if (unit.ClosedOn is not { } on) return null;
        var into = unit.MergedIntoId is int s ? await db.OrgUnits.AsNoTracking().Where(u => u.Id == s).Select(u => new { u.Id, u.Name, u.Path }).FirstOrDefaultAsync(ct) : null;
        return into is null
            ? new ClosedNote($"{unit.Name} đã giải thể từ ngày {Vn.Date(on)}.", null, null, false)
            : new ClosedNote($"{unit.Name} đã hợp nhất vào ", into.Id, into.Name, Infrastructure.AccessService.Can(scope, permission, into.Path), $" từ ngày {Vn.Date(on)}; đảng viên và số liệu từ ngày đó ở đơn vị tiếp nhận.");
    }

    public static Task<List<OrgKind>> KindsAsync(this AppDbContext db, CancellationToken ct) =>
        db.OrgKinds.AsNoTracking().OrderBy(k => k.SortOrder).ToListAsync(ct);
}
