using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

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

    /// <summary>Read from a larger branch's parts (<see cref="BranchGridQuery.CompleteAsync"/>), not by the roster's statement.</summary>
    internal bool FromParts { get; init; }

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
        var sql = CommandsFor(db, withTexts);
        return await db.OnConnectionAsync(conn => ReadAsync(conn, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            sql, unitId, year, db.Clock.AsOf(year), withTexts, ct), ct);
    }

    /// <summary>The same roster on a connection of the site's data source (the grid's GET): once the statement is kept for the
    /// context's options (the site's are one for the process), the context itself is not touched — EF's per-request context
    /// services are not created for the grid (docs/performance.md, GRIDFLOOR). <paramref name="db"/> gives the options, the
    /// clock and, the first time only, the model the SQL is generated from.</summary>
    public static Task<BranchGrid> LoadAsync(AppDbContext db, NpgsqlConnection conn, int unitId, int year, CancellationToken ct, bool withTexts = false) =>
        ReadAsync(conn, null, CommandsFor(db, withTexts), unitId, year, db.Clock.AsOf(year), withTexts, ct);

    private static KeptStatement CommandsFor(AppDbContext db, bool withTexts) =>
        withTexts ? KeptStatement.For(db, "roster+texts", static db => Roster(db, withTexts: true)) : KeptStatement.For(db, "roster", static db => Roster(db, withTexts: false));

    // The roster's statement: EF's SQL of RosterQuery, generated once per model, then run by Npgsql and read by position
    // (EF's query building, then its materializer, were ~7 % and ~6 % of the grid's site CPU: docs/performance.md, sessions
    // 9 and 11, GRID). The rules stay in the LINQ query (Membership.CoversOn inlined, the pledges' query filter); only the
    // reading of its result is by hand. Sample values tie each of EF's parameters to the branch, the year or the as-of day.
    private const int SampleUnit = 987654321, SampleYear = 987654, Columns = 13, TextColumns = 4;
    private static readonly DateOnly SampleDay = new(1901, 2, 3);

    private static KeptStatement Roster(AppDbContext db, bool withTexts, bool withPledges = true) =>
        KeptStatement.Of(RosterQuery(withTexts, withPledges).Compile()(db, SampleUnit, SampleYear, SampleDay), Columns + (withTexts ? TextColumns : 0), SampleUnit, SampleYear, SampleDay);

    private static async Task<BranchGrid> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, KeptStatement sql, int unitId, int year, DateOnly asOf, bool withTexts, CancellationToken ct)
    {
        await using var cmd = sql.Create(conn, tx, unitId, year, asOf);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        sql.CheckColumns(r);
        return await ReadRowsAsync(r, unitId, withTexts, ct);
    }

    /// <summary>The roster as commands of a batch (the grid's GET sends them with the unit's statement: one round trip,
    /// docs/performance.md, GRID18); their results are read by <see cref="ReadBatchedAsync"/>. A branch that fits on a page
    /// (<paramref name="withTexts"/>): the roster with its texts, one statement. A larger one: the roster's listing without
    /// pledges, the pledges kept in the branch (by the branch's index, not one probe per member) and the aggregates' count of
    /// the pledges counted here (docs/performance.md, GRID19L).</summary>
    internal static void AddBatchCommands(NpgsqlBatch batch, AppDbContext db, int unitId, int year, bool withTexts)
    {
        var asOf = db.Clock.AsOf(year);
        if (withTexts)
        {
            batch.BatchCommands.Add(CommandsFor(db, withTexts: true).CreateBatchCommand(unitId, year, asOf));
            return;
        }
        batch.BatchCommands.Add(ListingFor(db).CreateBatchCommand(unitId, year, asOf));
        batch.BatchCommands.Add(KeptHereFor(db).CreateBatchCommand(unitId, year));
        batch.BatchCommands.Add(CountedFor(db).CreateBatchCommand(unitId, year, asOf));
    }

    /// <summary>What <see cref="AddBatchCommands"/> read: the roster, or what a larger branch's roster is made of
    /// (<see cref="CompleteAsync"/>).</summary>
    internal sealed class Batched
    {
        internal BranchGrid? Grid { get; init; }
        internal Rows? Listing { get; init; }
        internal List<PledgeData> KeptHere { get; init; } = [];
        internal int Counted { get; init; }
    }

    /// <summary>The roster's results from the reader's current result on (a batch's <see cref="AddBatchCommands"/>).</summary>
    internal static async Task<Batched> ReadBatchedAsync(AppDbContext db, NpgsqlDataReader r, int unitId, bool withTexts, CancellationToken ct)
    {
        if (withTexts)
        {
            CommandsFor(db, withTexts: true).CheckColumns(r);
            return new Batched { Grid = Finish(await ReadRosterRowsAsync(r, withTexts: true, ct), unitId) };
        }
        ListingFor(db).CheckColumns(r);
        var listing = await ReadRosterRowsAsync(r, withTexts: false, ct);
        await r.NextResultAsync(ct);
        KeptHereFor(db).CheckColumns(r);
        var keptHere = new List<PledgeData>();
        while (await r.ReadAsync(ct)) keptHere.Add(PledgeOf(r, 0));
        await r.NextResultAsync(ct);
        CountedFor(db).CheckColumns(r);
        var counted = await r.ReadAsync(ct) ? r.GetInt32(0) : 0;
        return new Batched { Listing = listing, KeptHere = keptHere, Counted = counted };
    }

    /// <summary>
    /// A larger branch's roster from its parts, on the connection (the batch's reader closed): the same members, places and
    /// pledges as the roster's statement (<see cref="RosterQuery"/>), which joins every pledge of the year to each listed
    /// member. Those are the pledges kept here, plus those kept elsewhere — of a member who stands elsewhere or nowhere
    /// (few: read by member, one statement), or of a member who stands here. The last are counted here (ADR 0006) and
    /// found by member only: the aggregates' count of the pledges counted here (kept exact by the database at every commit,
    /// ADR 0018) says whether there are any. When it differs from the pledges kept here that count here (a member who moved
    /// in with pledges kept in their former branch, or a change between the batch's statements), the roster's statement is
    /// read instead.
    /// </summary>
    internal static async Task<BranchGrid> CompleteAsync(AppDbContext db, NpgsqlConnection conn, Batched batched, int unitId, int year, CancellationToken ct)
    {
        if (batched.Grid is { } grid) return grid;
        var listing = batched.Listing!;
        var here = new BranchGrid(unitId, listing.Members, listing.StandsIn, batched.KeptHere);
        if (batched.KeptHere.All(p => listing.Seen.Contains(p.MemberId)) && batched.KeptHere.Count(here.CountedHere) == batched.Counted)
        {
            var away = listing.Members.Where(m => !here.StandsHere(m.Id)).Select(m => m.Id).ToArray();
            var pledges = batched.KeptHere;
            if (away.Length > 0)
            {
                var sql = ElsewhereFor(db);
                await using var cmd = sql.Create(conn, null, unitId, year, away);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                sql.CheckColumns(r);
                pledges = [.. pledges];
                while (await r.ReadAsync(ct)) pledges.Add(PledgeOf(r, 0));
            }
            return Finish(listing with { Pledges = pledges }, unitId) with { FromParts = true };
        }
        return await ReadAsync(conn, null, CommandsFor(db, withTexts: false), unitId, year, db.Clock.AsOf(year), withTexts: false, ct);
    }

    // A larger branch's parts (AddBatchCommands), each EF's SQL of its LINQ home.
    private static readonly int[] SampleMembers = [987654320];
    private const int PledgeColumns = 6;

    private static KeptStatement ListingFor(AppDbContext db) =>
        KeptStatement.For(db, "roster-listing", static db => Roster(db, withTexts: false, withPledges: false));

    private static KeptStatement KeptHereFor(AppDbContext db) =>
        KeptStatement.For(db, "roster-kept-here", static db => KeptStatement.Of(KeptHere(db, SampleUnit, SampleYear), PledgeColumns, SampleUnit, SampleYear));

    private static KeptStatement CountedFor(AppDbContext db) =>
        KeptStatement.For(db, "roster-counted", static db => KeptStatement.Of(AggUnitFigure.PledgesCounted(db, SampleUnit, SampleYear, SampleDay), 1, SampleUnit, SampleYear, SampleDay));

    private static KeptStatement ElsewhereFor(AppDbContext db) =>
        KeptStatement.For(db, "roster-elsewhere", static db => KeptStatement.Of(KeptElsewhere(db, SampleUnit, SampleYear, SampleMembers), PledgeColumns, SampleUnit, SampleYear, SampleMembers));

    /// <summary>The live pledges of the year kept in the branch (the pledges' query filter), their narrow columns.</summary>
    private static IQueryable<PledgeData> KeptHere(AppDbContext db, int unitId, int year) =>
        db.Pledges.AsNoTracking().Where(p => p.BranchId == unitId && p.Year == year)
            .Select(p => new PledgeData(p.Id, p.MemberId, p.BranchId, p.Deadline, p.Status, p.Version));

    /// <summary>The live pledges of the year of <paramref name="members"/> kept in another branch.</summary>
    private static IQueryable<PledgeData> KeptElsewhere(AppDbContext db, int unitId, int year, int[] members) =>
        db.Pledges.AsNoTracking().Where(p => p.Year == year && members.Contains(p.MemberId) && p.BranchId != unitId)
            .Select(p => new PledgeData(p.Id, p.MemberId, p.BranchId, p.Deadline, p.Status, p.Version));

    /// <summary>A pledge's narrow columns from <paramref name="at"/> on (the order of <see cref="PledgeData"/>).</summary>
    private static PledgeData PledgeOf(NpgsqlDataReader r, int at) =>
        new(r.GetInt32(at), r.GetInt32(at + 1), r.GetInt32(at + 2), r.IsDBNull(at + 3) ? null : r.GetFieldValue<DateOnly>(at + 3), (PledgeStatus)r.GetInt32(at + 4), r.GetFieldValue<uint>(at + 5));

    /// <summary>The roster's rows as read (members in the statement's order).</summary>
    internal sealed record Rows(List<GridMember> Members, HashSet<int> Seen, Dictionary<int, int> StandsIn, List<PledgeData> Pledges, Dictionary<int, PledgeTexts>? Texts);

    private static async Task<BranchGrid> ReadRowsAsync(NpgsqlDataReader r, int unitId, bool withTexts, CancellationToken ct) =>
        Finish(await ReadRosterRowsAsync(r, withTexts, ct), unitId);

    private static async Task<Rows> ReadRosterRowsAsync(NpgsqlDataReader r, bool withTexts, CancellationToken ct)
    {
        var standsIn = new Dictionary<int, int>();
        var members = new List<GridMember>();
        var seen = new HashSet<int>();
        var pledges = new List<PledgeData>();
        var taken = new HashSet<int>();
        var texts = withTexts ? new Dictionary<int, PledgeTexts>() : null;
        // The columns of the roster's projection, in its order (RosterQuery): the member, where they stand, whether the
        // row has a pledge, the pledge's narrow columns, then its texts (with texts only).
        while (await r.ReadAsync(ct))
        {
            var memberId = r.GetInt32(0);
            if (seen.Add(memberId))
                members.Add(new GridMember(memberId, r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), r.GetInt32(4)));
            if (!r.IsDBNull(5)) standsIn.TryAdd(memberId, r.GetInt32(5));
            if (r.GetBoolean(6)) continue;
            var id = r.GetInt32(7);
            if (!taken.Add(id)) continue;
            pledges.Add(PledgeOf(r, 7));
            texts?.Add(id, new PledgeTexts(r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetString(16)));
        }
        return new Rows(members, seen, standsIn, pledges, texts);
    }

    private static BranchGrid Finish(Rows rows, int unitId)
    {
        var (members, standsIn, pledges) = (rows.Members, rows.StandsIn, rows.Pledges);
        // Those standing here first, then by position (secretary, deputy, others), Vietnamese name order, id: one key a member
        // compared in one call, not four LINQ keys each compared through its own comparer (the largest branch's 932 members).
        var order = new MemberOrder[members.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var m = members[i];
            order[i] = new MemberOrder(standsIn.TryGetValue(m.Id, out var b) && b == unitId ? 0 : 1, m.Rank, VietnameseText.NameKey(m.FullName), m.Id);
        }
        var sorted = members.ToArray();
        Array.Sort(order, sorted);   // the ids make every key distinct: the order is the one a stable sort gives
        // By id (the rows come by member): sorted on an array of the ids, without a comparison delegate per pair.
        var byId = pledges.ToArray();
        Array.Sort(byId.Select(p => p.Id).ToArray(), byId);
        return new BranchGrid(unitId, [.. sorted], standsIn, [.. byId]) { Texts = rows.Texts };
    }

    /// <summary>A member's place on the grid (<see cref="LoadAsync"/>): standing here or not, position, name, id.</summary>
    private readonly record struct MemberOrder(int Away, int Rank, (System.Globalization.SortKey Given, System.Globalization.SortKey Full) Name, int Id)
        : IComparable<MemberOrder>
    {
        public int CompareTo(MemberOrder o)
        {
            var c = Away.CompareTo(o.Away);
            if (c == 0) c = Rank.CompareTo(o.Rank);
            if (c == 0) c = VietnameseText.CompareNameKeys(Name, o.Name);
            return c != 0 ? c : Id.CompareTo(o.Id);
        }
    }

    /// <summary>The roster as a query of the context, the branch, the year and the as-of day (<see cref="LoadAsync"/>).</summary>
    private static Expression<Func<AppDbContext, int, int, DateOnly, IQueryable<RosterRow>>> RosterQuery(bool withTexts, bool withPledges = true)
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
            // (Without them, the listing of a branch larger than a page: its pledges are read by branch, BatchCommands.)
            from p in db.Pledges.AsNoTracking().Where(p => WithPledges && p.Year == year && p.MemberId == m.Id).DefaultIfEmpty()
            select new RosterRow(
                new GridMember(m.Id, m.FullName, m.CardNumber, m.BranchId, Rank(m)),
                s == null ? null : s.BranchId,
                p == null ? null : new PledgeData(p.Id, p.MemberId, p.BranchId, p.Deadline, p.Status, p.Version),
                // A branch that fits on one page shows every text anyway: read them with the roster (one statement, not two).
                p == null || !Texts ? null : new PledgeTexts(p.Content, p.Solution, p.Reason, p.EvidenceNote));
        return (Expression<Func<AppDbContext, int, int, DateOnly, IQueryable<RosterRow>>>)new Inline(withTexts, withPledges).Visit(query);
    }

    /// <summary>Marker for <see cref="Membership.CoversOn"/> inside <see cref="RosterQuery"/>: replaced by the rule's body.</summary>
    private static bool Covers(MemberBranchPeriod p, DateOnly on) => throw new InvalidOperationException("Replaced by Membership.CoversOn before the query is compiled.");

    /// <summary>Marker for <see cref="Positions.Rank"/> inside <see cref="RosterQuery"/> (the order of the sheets and the review): replaced by the rule's body.</summary>
    private static int Rank(Member m) => throw new InvalidOperationException("Replaced by Positions.Rank before the query is compiled.");

    /// <summary>Marker for "with the texts" inside <see cref="RosterQuery"/>: replaced by a constant.</summary>
    private static bool Texts => throw new InvalidOperationException("Replaced by a constant before the query is compiled.");

    /// <summary>Marker for "with the members' pledges" inside <see cref="RosterQuery"/>: replaced by a constant.</summary>
    private static bool WithPledges => throw new InvalidOperationException("Replaced by a constant before the query is compiled.");

    /// <summary>Puts <see cref="Membership.CoversOn"/>'s body in place of each <see cref="Covers"/> call, <see cref="Positions.Rank"/>'s
    /// in place of <see cref="Rank"/>, and the texts' choice in place of <see cref="Texts"/>.</summary>
    private sealed class Inline(bool withTexts, bool withPledges) : ExpressionVisitor
    {
        private Dictionary<ParameterExpression, Expression>? _args;

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            LambdaExpression? rule = node.Method.DeclaringType != typeof(BranchGridQuery) ? null
                : node.Method.Name switch { nameof(Covers) => Membership.CoversOn, nameof(Rank) => Positions.Rank, _ => null };
            if (rule is null) return base.VisitMethodCall(node);
            var outer = _args;
            _args = rule.Parameters.Zip(node.Arguments).ToDictionary(x => x.First, x => Visit(x.Second));
            var body = Visit(rule.Body);
            _args = outer;
            return body;
        }

        protected override Expression VisitParameter(ParameterExpression node) =>
            _args is not null && _args.TryGetValue(node, out var arg) ? arg : node;

        protected override Expression VisitMember(MemberExpression node) =>
            node.Member.DeclaringType != typeof(BranchGridQuery) ? base.VisitMember(node)
            : node.Member.Name == nameof(Texts) ? Expression.Constant(withTexts)
            : node.Member.Name == nameof(WithPledges) ? Expression.Constant(withPledges) : base.VisitMember(node);
    }

    /// <summary>A row of the roster's projection (<see cref="RosterQuery"/>; read by position, <see cref="LoadAsync"/>).</summary>
    private sealed record RosterRow(GridMember Member, int? StandsIn, PledgeData? Pledge, PledgeTexts? Texts);

    /// <summary>The texts of the pledges <paramref name="ids"/> (those shown on the page and in the deadline list).</summary>
    public static async Task<Dictionary<int, PledgeTexts>> TextsAsync(AppDbContext db, List<int> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.Pledges.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, Texts = new PledgeTexts(p.Content, p.Solution, p.Reason, p.EvidenceNote) })
            .ToDictionaryAsync(x => x.Id, x => x.Texts, ct);

    // The same texts as plain SQL (the grid's GET, on its connection of the data source): live pledges only, as the pledges'
    // query filter reads them.
    private const string TextsSql = "SELECT p.id, p.content, p.solution, p.reason, p.evidence_note FROM pledges AS p WHERE p.deleted_at IS NULL AND p.id = ANY ($1)";

    /// <summary><see cref="TextsAsync(AppDbContext, List{int}, CancellationToken)"/> on a connection of the data source.</summary>
    public static async Task<Dictionary<int, PledgeTexts>> TextsAsync(NpgsqlConnection conn, List<int> ids, CancellationToken ct)
    {
        var texts = new Dictionary<int, PledgeTexts>();
        if (ids.Count == 0) return texts;
        await using var cmd = new NpgsqlCommand(TextsSql, conn);
        cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. ids] });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            texts.Add(r.GetInt32(0), new PledgeTexts(r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        return texts;
    }
}
