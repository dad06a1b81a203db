using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

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
        var rows = new List<RosterRow>();
        var roster = Compiled.GetValue(db.Model, _ => [EF.CompileAsyncQuery(RosterQuery(withTexts: false)), EF.CompileAsyncQuery(RosterQuery(withTexts: true))]);
        await foreach (var r in roster[withTexts ? 1 : 0](db, unitId, year, db.Clock.AsOf(year)).WithCancellation(ct)) rows.Add(r);
        var standsIn = new Dictionary<int, int>();
        foreach (var r in rows)
            if (r.StandsIn is { } b) standsIn.TryAdd(r.Member.Id, b);
        var members = rows.Select(r => r.Member).DistinctBy(m => m.Id)
            .OrderBy(m => !(standsIn.TryGetValue(m.Id, out var b) && b == unitId)).ThenBy(m => m.Rank).ThenByName(m => m.FullName).ThenBy(m => m.Id).ToList();
        var pledges = rows.Where(r => r.Pledge is not null).Select(r => r.Pledge!).DistinctBy(p => p.Id).OrderBy(p => p.Id).ToList();
        var texts = withTexts ? rows.Where(r => r.Pledge is not null).DistinctBy(r => r.Pledge!.Id).ToDictionary(r => r.Pledge!.Id, r => r.Texts!) : null;
        return new BranchGrid(unitId, members, standsIn, pledges) { Texts = texts };
    }

    // The roster's statement, compiled once (EF's query building, parameter extraction and cache lookup were ~7 % of the
    // median grid's site CPU; docs/performance.md, session 9, GRID): without and with the texts. A compiled query serves
    // one model, so once per model (the site has one; a process that builds contexts with other options, as the tests do,
    // has more).
    private static readonly ConditionalWeakTable<IModel, Func<AppDbContext, int, int, DateOnly, IAsyncEnumerable<RosterRow>>[]> Compiled = new();

    /// <summary>The roster as a query of the context, the branch, the year and the as-of day (<see cref="LoadAsync"/>).</summary>
    private static Expression<Func<AppDbContext, int, int, DateOnly, IQueryable<RosterRow>>> RosterQuery(bool withTexts)
    {
        Expression<Func<AppDbContext, int, int, DateOnly, IQueryable<RosterRow>>> query = (db, unitId, year, asOf) =>
            // The members of the branch now or on the as-of day (who stands in this branch that day, Domain/CountingRules.cs:
            // they and their pledges are counted here), plus those who registered here and moved away or left. Index paths
            // joined with UNION ALL: an OR across them made PostgreSQL scan every member of the province.
            from m in db.Members.AsNoTracking().Where(m => db.Members.Where(x => x.BranchId == unitId && x.Status == MemberStatus.Active).Select(x => x.Id)
                .Concat(db.MemberBranchPeriods.Where(p => Covers(p, asOf)).Where(p => p.BranchId == unitId).Select(p => p.MemberId))
                .Concat(db.Pledges.Where(p => p.BranchId == unitId && p.Year == year).Select(p => p.MemberId)).Contains(m.Id))
            // Where the member stands on the as-of day (nowhere: left the Party), looked up once per member: a plain outer
            // join, an index probe per member (a Take(1) here became a window over every period of the province). Periods
            // do not overlap; should two cover the day, the rows are taken once (LoadAsync), as FirstOrDefault did.
            from s in db.MemberBranchPeriods.Where(x => Covers(x, asOf)).Where(x => x.MemberId == m.Id).DefaultIfEmpty()
            // Every pledge of the year of the listed members: those kept here included (their members are listed).
            from p in db.Pledges.AsNoTracking().Where(p => p.Year == year && p.MemberId == m.Id).DefaultIfEmpty()
            select new RosterRow(
                new GridMember(m.Id, m.FullName, m.CardNumber, m.BranchId, m.Position == "Bí thư chi bộ" ? 0 : m.Position == "Phó Bí thư chi bộ" ? 1 : 2),
                s == null ? null : s.BranchId,
                p == null ? null : new PledgeData(p.Id, p.MemberId, p.BranchId, p.Deadline, p.Status, p.Version),
                // A branch that fits on one page shows every text anyway: read them with the roster (one statement, not two).
                p == null || !Texts ? null : new PledgeTexts(p.Content, p.Solution, p.Reason, p.EvidenceNote));
        return (Expression<Func<AppDbContext, int, int, DateOnly, IQueryable<RosterRow>>>)new Inline(withTexts).Visit(query);
    }

    /// <summary>Marker for <see cref="Membership.CoversOn"/> inside <see cref="RosterQuery"/>: replaced by the rule's body.</summary>
    private static bool Covers(MemberBranchPeriod p, DateOnly on) => throw new InvalidOperationException("Replaced by Membership.CoversOn before the query is compiled.");

    /// <summary>Marker for "with the texts" inside <see cref="RosterQuery"/>: replaced by a constant.</summary>
    private static bool Texts => throw new InvalidOperationException("Replaced by a constant before the query is compiled.");

    /// <summary>Puts <see cref="Membership.CoversOn"/>'s body in place of each <see cref="Covers"/> call and the texts' choice in
    /// place of <see cref="Texts"/>.</summary>
    private sealed class Inline(bool withTexts) : ExpressionVisitor
    {
        private Dictionary<ParameterExpression, Expression>? _args;

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(BranchGridQuery) || node.Method.Name != nameof(Covers)) return base.VisitMethodCall(node);
            var rule = Membership.CoversOn;
            var outer = _args;
            _args = new() { [rule.Parameters[0]] = Visit(node.Arguments[0]), [rule.Parameters[1]] = Visit(node.Arguments[1]) };
            var body = Visit(rule.Body);
            _args = outer;
            return body;
        }

        protected override Expression VisitParameter(ParameterExpression node) =>
            _args is not null && _args.TryGetValue(node, out var arg) ? arg : node;

        protected override Expression VisitMember(MemberExpression node) =>
            node.Member.DeclaringType == typeof(BranchGridQuery) && node.Member.Name == nameof(Texts) ? Expression.Constant(withTexts) : base.VisitMember(node);
    }

    private sealed record RosterRow(GridMember Member, int? StandsIn, PledgeData? Pledge, PledgeTexts? Texts);

    /// <summary>The texts of the pledges <paramref name="ids"/> (those shown on the page and in the deadline list).</summary>
    public static async Task<Dictionary<int, PledgeTexts>> TextsAsync(AppDbContext db, List<int> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.Pledges.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, Texts = new PledgeTexts(p.Content, p.Solution, p.Reason, p.EvidenceNote) })
            .ToDictionaryAsync(x => x.Id, x => x.Texts, ct);
}
