using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// Which pledges a user may see and what they are relative to one pledge. A pledge is visible to the
/// subtree of the branch it was registered in, to the subtree of the member's current branch (read only
/// after a transfer) and to the member. Used by the pledge pages, the import and the command line.
/// </summary>
public static class PledgeAccess
{
    public static IQueryable<Pledge> Visible(AppDbContext db, AccessService access, UserScope scope)
    {
        if (scope.IsOperator) return db.Pledges;
        var units = access.Units(scope, Permission.ViewMembers).Select(u => u.Id);
        var own = scope.MemberId ?? -1;
        return db.Pledges.Where(p => p.MemberId == own || units.Contains(p.BranchId) || units.Contains(p.Member.BranchId));
    }

    /// <summary>Owner, secretary of the registering branch, or reader (anyone else who can see it).</summary>
    public static PledgeRole RoleFor(UserScope scope, int memberId, LTree branchPath)
    {
        var role = PledgeRole.Reader;
        if (scope.MemberId == memberId) role |= PledgeRole.Owner;
        var ids = OrgPaths.Ids(branchPath).ToHashSet();
        if (scope.IsOperator || scope.Bindings.Any(b => b.Role == AppRole.Secretary && ids.Contains(b.OrgUnitId))) role |= PledgeRole.Secretary;
        return role;
    }

    /// <summary>A year is closed for a unit when the unit or any ancestor closed its plan year.</summary>
    public static Task<bool> IsYearClosedAsync(AppDbContext db, LTree unitPath, int year, CancellationToken ct) =>
        YearGuard.IsClosedAsync(db, unitPath, year, ct);
}
