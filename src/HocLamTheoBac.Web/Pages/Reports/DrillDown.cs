using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reports;

public sealed record MemberRow(int Id, string FullName, string? Position, int Registered, int Done);

/// <summary>The dashboard's drill-down to one branch: its members on the as-of day with their pledges, counted as in the report.</summary>
public static class DrillDown
{
    public static async Task<List<MemberRow>> MembersAsync(AppDbContext db, IQueryable<Member> visible, int branchId, int year, DateOnly asOf, CancellationToken ct)
    {
        var registered = PledgeSets.Registered;
        var done = PledgeSets.Done;
        var standing = await visible.AsNoTracking()
            .Where(m => db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Any(p => p.MemberId == m.Id && p.BranchId == branchId))
            .OrderByName(m => m.FullName)
            // a member standing here has all their registered pledges of the year counted here (ADR 0006)
            .Select(m => new MemberRow(m.Id, m.FullName, m.Position,
                db.Pledges.Count(p => p.MemberId == m.Id && p.Year == year && registered.Contains(p.Status)),
                db.Pledges.Count(p => p.MemberId == m.Id && p.Year == year && done.Contains(p.Status))))
            .ToListAsync(ct);
        // Members who left the Party during the year stand nowhere: their pledges kept here count here.
        var left = await visible.AsNoTracking()
            .Where(m => !db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Any(p => p.MemberId == m.Id)
                        && db.Pledges.Any(p => p.MemberId == m.Id && p.Year == year && p.BranchId == branchId))
            .OrderByName(m => m.FullName)
            .Select(m => new MemberRow(m.Id, m.FullName, "Đã thôi sinh hoạt",
                db.Pledges.Count(p => p.MemberId == m.Id && p.Year == year && p.BranchId == branchId && registered.Contains(p.Status)),
                db.Pledges.Count(p => p.MemberId == m.Id && p.Year == year && p.BranchId == branchId && done.Contains(p.Status))))
            .ToListAsync(ct);
        return [.. standing, .. left];
    }
}
