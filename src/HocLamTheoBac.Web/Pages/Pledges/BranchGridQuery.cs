using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>A pledge of the grid's roster: what the filter, order, headline, waiting count and deadline list need — no texts
/// (they are read for the shown rows only, <see cref="BranchGridQuery.TextsAsync"/>).</summary>
public sealed record PledgeData(int Id, int MemberId, int BranchId, DateOnly? Deadline, PledgeStatus Status, uint Version);

/// <summary>The texts of a pledge shown on the grid.</summary>
public sealed record PledgeTexts(string Content, string? Solution, string? Reason, string? EvidenceNote);

public sealed record GridMember(int Id, string FullName, string? CardNumber, int BranchId, int Rank);

/// <summary>What the secretary's grid shows for a branch and year, and its headline counted by the report's rules (ADR 0006).</summary>
public sealed record BranchGrid(int UnitId, List<GridMember> Members, Dictionary<int, int> StandsIn, List<PledgeData> Pledges)
{
    /// <summary>Every pledge's texts, when the roster was read with them (a branch that fits on one page); else null.</summary>
    public Dictionary<int, PledgeTexts>? Texts { get; init; }

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
    /// <summary>The roster, one round trip: the listed members, each with where they stand on the as-of day (looked up once
    /// per member, not per pledge row) and the narrow columns of their pledges of the year (a member without pledges comes once,
    /// with no pledge). The texts are read with it only when <paramref name="withTexts"/> (a branch that fits on one page);
    /// a branch of a thousand members shows a hundred of them a page, whose texts <see cref="TextsAsync"/> reads
    /// (docs/performance.md, "branch grid").</summary>
    public static async Task<BranchGrid> LoadAsync(AppDbContext db, int unitId, int year, CancellationToken ct, bool withTexts = false)
    {
        var asOf = db.Clock.AsOf(year);
        var covers = Membership.CoversDate(asOf);
        // Who stands in this branch on the as-of day (Domain/CountingRules.cs): they and their pledges are counted here.
        var standingHere = db.MemberBranchPeriods.Where(covers).Where(p => p.BranchId == unitId).Select(p => p.MemberId);
        // The members of the branch now or on the as-of day, plus those who registered here and moved away or left.
        // Index paths joined with UNION ALL: an OR across them made PostgreSQL scan every member of the province.
        var listed = db.Members.Where(m => m.BranchId == unitId && m.Status == MemberStatus.Active).Select(m => m.Id)
            .Concat(standingHere)
            .Concat(db.Pledges.Where(p => p.BranchId == unitId && p.Year == year).Select(p => p.MemberId));
        // Every pledge of the year of the listed members: those kept here included (their members are listed).
        var joined =
            from m in db.Members.AsNoTracking().Where(m => listed.Contains(m.Id))
            // Where the member stands on the as-of day (nowhere: left the Party), looked up once per member: a plain outer
            // join, an index probe per member (a Take(1) here became a window over every period of the province). Periods
            // do not overlap; should two cover the day, the rows are taken once below, as FirstOrDefault did.
            from s in db.MemberBranchPeriods.Where(covers).Where(x => x.MemberId == m.Id).DefaultIfEmpty()
            from p in db.Pledges.AsNoTracking().Where(p => p.Year == year && p.MemberId == m.Id).DefaultIfEmpty()
            select new { m, s, p };
        // A branch that fits on one page shows every text anyway: read them with the roster (one statement, not two).
        var rows = withTexts
            ? await joined.Select(x => new RosterRow(
                new GridMember(x.m.Id, x.m.FullName, x.m.CardNumber, x.m.BranchId, x.m.Position == "Bí thư chi bộ" ? 0 : x.m.Position == "Phó Bí thư chi bộ" ? 1 : 2),
                x.s == null ? null : x.s.BranchId,
                x.p == null ? null : new PledgeData(x.p.Id, x.p.MemberId, x.p.BranchId, x.p.Deadline, x.p.Status, x.p.Version),
                x.p == null ? null : new PledgeTexts(x.p.Content, x.p.Solution, x.p.Reason, x.p.EvidenceNote))).ToListAsync(ct)
            : await joined.Select(x => new RosterRow(
                new GridMember(x.m.Id, x.m.FullName, x.m.CardNumber, x.m.BranchId, x.m.Position == "Bí thư chi bộ" ? 0 : x.m.Position == "Phó Bí thư chi bộ" ? 1 : 2),
                x.s == null ? null : x.s.BranchId,
                x.p == null ? null : new PledgeData(x.p.Id, x.p.MemberId, x.p.BranchId, x.p.Deadline, x.p.Status, x.p.Version),
                null)).ToListAsync(ct);
        var standsIn = new Dictionary<int, int>();
        foreach (var r in rows)
            if (r.StandsIn is { } b) standsIn.TryAdd(r.Member.Id, b);
        var members = rows.Select(r => r.Member).DistinctBy(m => m.Id)
            .OrderBy(m => !(standsIn.TryGetValue(m.Id, out var b) && b == unitId)).ThenBy(m => m.Rank).ThenByName(m => m.FullName).ThenBy(m => m.Id).ToList();
        var pledges = rows.Where(r => r.Pledge is not null).Select(r => r.Pledge!).DistinctBy(p => p.Id).OrderBy(p => p.Id).ToList();
        var texts = withTexts ? rows.Where(r => r.Pledge is not null).DistinctBy(r => r.Pledge!.Id).ToDictionary(r => r.Pledge!.Id, r => r.Texts!) : null;
        return new BranchGrid(unitId, members, standsIn, pledges) { Texts = texts };
    }

    private sealed record RosterRow(GridMember Member, int? StandsIn, PledgeData? Pledge, PledgeTexts? Texts);

    /// <summary>The texts of the pledges <paramref name="ids"/> (those shown on the page and in the deadline list).</summary>
    public static async Task<Dictionary<int, PledgeTexts>> TextsAsync(AppDbContext db, List<int> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.Pledges.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, Texts = new PledgeTexts(p.Content, p.Solution, p.Reason, p.EvidenceNote) })
            .ToDictionaryAsync(x => x.Id, x => x.Texts, ct);
}
