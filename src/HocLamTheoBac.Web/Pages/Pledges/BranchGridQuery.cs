using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

public sealed record PledgeData(int Id, int MemberId, string MemberName, int BranchId, string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status, string? Reason, string? EvidenceNote, uint Version);

public sealed record GridMember(int Id, string FullName, string? CardNumber, int BranchId, int Rank);

/// <summary>What the secretary's grid shows for a branch and year, and its headline counted by the report's rules (ADR 0006).</summary>
public sealed record BranchGrid(int UnitId, List<GridMember> Members, Dictionary<int, int> StandsIn, List<PledgeData> Pledges)
{
    public bool StandsHere(int memberId) => StandsIn.TryGetValue(memberId, out var b) && b == UnitId;

    /// <summary>Counted in this branch: the member stands here on the as-of day (or stands nowhere and the pledge is kept here).</summary>
    public bool CountedHere(PledgeData p) => Membership.CountedIn(StandsIn.TryGetValue(p.MemberId, out var b) ? b : null, p.BranchId) == UnitId;

    /// <summary>Members, members with a personal plan, registered pledges and done pledges: the same numbers as the report's row.</summary>
    public (int Members, int Registered, int Pledges, int Done) Headline()
    {
        var counted = Pledges.Where(p => CountedHere(p) && PledgeSets.IsRegistered(p.Status)).ToList();
        return (Members.Count(m => StandsHere(m.Id)),
            counted.Where(p => StandsHere(p.MemberId)).Select(p => p.MemberId).Distinct().Count(),
            counted.Count,
            counted.Count(p => PledgeSets.Done.Contains(p.Status)));
    }
}

public static class BranchGridQuery
{
    public static async Task<BranchGrid> LoadAsync(AppDbContext db, int unitId, int year, CancellationToken ct)
    {
        var asOf = db.Clock.AsOf(year);
        // Who stands in this branch on the as-of day (Domain/CountingRules.cs): they and their pledges are counted here.
        var standingHere = db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Where(p => p.BranchId == unitId).Select(p => p.MemberId);
        // 1: the members of the branch now or on the as-of day, plus those who registered here and moved away or left.
        // Index paths joined with UNION: an OR across them made PostgreSQL scan every member of
        // the province (docs/performance.md, "branch grid").
        var members = (await db.Members.AsNoTracking().Where(m => m.BranchId == unitId && m.Status == MemberStatus.Active)
            .Concat(db.Members.AsNoTracking().Where(m => standingHere.Contains(m.Id)))
            .Concat(db.Members.AsNoTracking().Where(m => db.Pledges.Any(p => p.MemberId == m.Id && p.BranchId == unitId && p.Year == year)))
            .Select(m => new GridMember(m.Id, m.FullName, m.CardNumber, m.BranchId, m.Position == "Bí thư chi bộ" ? 0 : m.Position == "Phó Bí thư chi bộ" ? 1 : 2))
            .ToListAsync(ct)).DistinctBy(m => m.Id).ToList();
        var ids = members.Select(m => m.Id).ToList();
        // Where each listed member stands on the as-of day (nowhere: left the Party).
        var standsIn = await db.MemberBranchPeriods.AsNoTracking().Where(Membership.CoversDate(asOf)).Where(p => ids.Contains(p.MemberId))
            .Select(p => new { p.MemberId, p.BranchId }).ToDictionaryAsync(p => p.MemberId, p => p.BranchId, ct);
        members = members.OrderBy(m => !(standsIn.TryGetValue(m.Id, out var b) && b == unitId)).ThenBy(m => m.Rank).ThenByName(m => m.FullName).ThenBy(m => m.Id).ToList();
        // 2: every pledge of the year of the listed members, plus those kept here.
        var pledges = (await db.Pledges.AsNoTracking().Where(p => p.Year == year && p.BranchId == unitId)
            .Concat(db.Pledges.AsNoTracking().Where(p => p.Year == year && ids.Contains(p.MemberId)))
            .Select(p => new PledgeData(p.Id, p.MemberId, p.Member.FullName, p.BranchId, p.Content, p.Solution, p.Deadline, p.Status, p.Reason, p.EvidenceNote, p.Version))
            .ToListAsync(ct)).DistinctBy(p => p.Id).OrderBy(p => p.Id).ToList();
        return new BranchGrid(unitId, members, standsIn, pledges);
    }
}
