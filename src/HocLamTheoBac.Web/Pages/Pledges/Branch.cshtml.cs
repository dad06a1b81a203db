using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Orgs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// The secretary's grid: every member of the branch with their pledges for the year. Add and edit for
/// several members in one save, approve/return/verify in bulk, see who has not registered. Two queries on the grid itself.
/// A view (GET) runs them as plain SQL on one connection of the site's data source, without EF's per-request context; the
/// saves go through the context (its save guard, audit and actor) as every write does (docs/performance.md, GRIDFLOOR).
/// </summary>
[BranchModel.GridViewReadsWithAccount]
public sealed class BranchModel(AppDbContext db, AccessService access, NpgsqlDataSource dataSource) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    public const string Unregistered = "chua-dang-ky";

    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    [BindProperty(SupportsGet = true)] public string? Filter { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    /// <summary>Members per page of the grid: a branch of a thousand members is pages of this size, reached by the pager
    /// or the search box (docs/performance.md, "Grid, read-only rows and pages").</summary>
    public const int MembersPerPage = 100;
    /// <summary>Page of the grid, from 1 (query "pg").</summary>
    [BindProperty(SupportsGet = true, Name = "pg")] public int PageNumber { get; set; } = 1;
    /// <summary>Part of a member's name (with or without diacritics) or card number (query "q").</summary>
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    public int PageCount { get; private set; } = 1;
    /// <summary>Members listed by the filter and search, on every page.</summary>
    public int ListedCount { get; private set; }
    /// <summary>The page for links and redirects: null for the first (kept out of the address).</summary>
    public int? PageRoute => PageNumber > 1 ? PageNumber : null;
    public string? SearchRoute => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    /// <summary>This grid at page <paramref name="page"/>, year, filter and search kept.</summary>
    public string PageLink(int page) => Link([], [], page);

    /// <summary>A button's formaction: this grid (year, filter, search and page kept) with the page handler <paramref name="handler"/>.</summary>
    public string HandlerLink(string handler) => Link([], [], PageNumber) + "&handler=" + handler;

    /// <summary>Pledges whose editor is open (the "Sửa" link without script; pledges.js opens it in place).</summary>
    [BindProperty(SupportsGet = true)] public List<int> Open { get; set; } = [];
    /// <summary>Members whose "new pledge" editor is open (the "Thêm việc làm theo" link without script).</summary>
    [BindProperty(SupportsGet = true)] public List<int> Add { get; set; } = [];

    public sealed class InputModel
    {
        public List<NewRow> New { get; set; } = [];
        public List<EditRow> Edit { get; set; } = [];
        public List<int> Selected { get; set; } = [];
        /// <summary>"id:version id:version …" of the rows shown: the bulk actions refuse a row changed since (concurrent edit).</summary>
        public string? Versions { get; set; }
        public PledgeAction? Action { get; set; }
        [StringLength(PledgeLimits.Reason, ErrorMessage = PledgeLimits.ReasonMessage)]
        public string? Reason { get; set; }
    }

    public sealed class NewRow
    {
        public int MemberId { get; set; }
        [StringLength(PledgeLimits.Content, ErrorMessage = PledgeLimits.ContentMessage)] public string? Content { get; set; }
        [StringLength(PledgeLimits.Solution, ErrorMessage = PledgeLimits.SolutionMessage)] public string? Solution { get; set; }
        [Display(Name = "Thời hạn")] public DateOnly? Deadline { get; set; }
    }

    public sealed class EditRow
    {
        public int Id { get; set; }
        public uint Version { get; set; }
        /// <summary>The row's text fields were on the form: an empty content then means "cleared", not "not shown".</summary>
        public bool Editable { get; set; }
        [StringLength(PledgeLimits.Content, ErrorMessage = PledgeLimits.ContentMessage)] public string? Content { get; set; }
        [StringLength(PledgeLimits.Solution, ErrorMessage = PledgeLimits.SolutionMessage)] public string? Solution { get; set; }
        [Display(Name = "Thời hạn")] public DateOnly? Deadline { get; set; }
    }

    public OrgUnit Unit { get; private set; } = null!;
    public bool CanManage { get; private set; }
    public bool YearClosed { get; private set; }
    public List<MemberRow> Rows { get; private set; } = [];
    public List<string> Errors { get; } = [];
    /// <summary>Said when the address asked for a filter the grid does not have (the grid then lists everyone).</summary>
    public string? FilterNotice { get; private set; }
    /// <summary>Said under the title of a branch closed or merged (Orgs/_ClosedNote).</summary>
    public Pages.Orgs.ClosedNote? Closed { get; private set; }
    public int MemberCount { get; private set; }
    public int RegisteredCount { get; private set; }
    public int PledgeCount { get; private set; }
    public int DoneCount { get; private set; }
    public int WaitingCount { get; private set; }
    public List<PledgeRow> DeadlineRows { get; private set; } = [];
    /// <summary>Every live pledge of this branch and year with its row version, whatever the filter (the hints' stamp).</summary>
    public List<(int Id, uint Version)> LivePledges { get; private set; } = [];

    public sealed record MemberRow(int MemberId, string FullName, string? CardNumber, bool IsCurrent, bool MovedHere, List<PledgeRow> Pledges, bool Adding)
    {
        /// <summary>Has a personal plan here (PlanRules): a registered pledge counted in this branch.</summary>
        public bool Registered => HasPlanHere(Pledges.Select(p => (p.Counted, p.Status)));
    }

    /// <summary>Has a personal plan in this branch (PlanRules): a registered pledge among those counted here.</summary>
    private static bool HasPlanHere(IEnumerable<(bool Counted, PledgeStatus Status)> pledges) =>
        PlanRules.HasPlan(pledges.Where(p => p.Counted).Select(p => p.Status));

    public sealed record PledgeRow(int Id, int MemberId, string MemberName, int BranchId, string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status, string? Reason, string? EvidenceNote, uint Version, bool Counted, bool Editable, DeadlineState DeadlineState)
    {
        /// <summary>Shown with its editor: opened by the secretary, or posted back with a problem (its text kept).</summary>
        public bool Open { get; init; }
    }

    /// <summary>The versions of the selectable rows shown (<see cref="InputModel.Versions"/>).</summary>
    public string Versions => string.Join(' ', Rows.SelectMany(r => r.Pledges).Where(p => p.Counted).Select(p => $"{p.Id}:{p.Version}"));

    /// <summary>This grid (year and filter kept) with one more pledge or member's editor open, for use without script.</summary>
    public string OpenLink(int? open = null, int? add = null) =>
        Link(Open.Concat(open is { } o ? [o] : []), Add.Concat(add is { } a ? [a] : []), PageNumber)
        + (open is { } po ? $"#p-{po}" : add is { } pa ? $"#m-{pa}" : "");

    private string Link(IEnumerable<int> open, IEnumerable<int> add, int page) => Base(page) + Opens(open) + Adds(add);

    /// <summary>This grid's address with year, filter, search and page: every parameter after it starts with "&amp;".</summary>
    private string Base(int page)
    {
        var q = $"/Pledges/Branch/{Unit.Id}?year={Year}";
        if (!string.IsNullOrEmpty(Filter)) q += "&filter=" + Uri.EscapeDataString(Filter);
        if (SearchRoute is { } search) q += "&q=" + Uri.EscapeDataString(search);
        if (page > 1) q += $"&pg={page}";
        return q;
    }

    private static string Opens(IEnumerable<int> open) => string.Concat(open.Distinct().Select(x => $"&open={x}"));
    private static string Adds(IEnumerable<int> add) => string.Concat(add.Distinct().Select(x => $"&add={x}"));

    /// <summary><see cref="OpenLink"/> in two parts for the rows' writer (BranchGridRows): this page's link up to its open
    /// editors, then its open "new pledge" editors. OpenLink(open: x) is the head, "&amp;open=x" unless x is open already,
    /// the tail, "#p-x"; OpenLink(add: x) is the head, the tail, "&amp;add=x" unless already there, "#m-x".</summary>
    public string LinkHead => Base(PageNumber) + Opens(Open);
    public string LinkTail => Adds(Add);

    /// <summary>Said when selected rows came without the versions the grid showed them with.</summary>
    public const string StaleSelection = "Danh sách trên trang này đã cũ: vui lòng tải lại trang, kiểm tra rồi chọn lại các việc làm theo. Chưa có thay đổi nào được lưu.";

    /// <summary>Parses <see cref="InputModel.Versions"/>; pairs that do not read are ignored (a selected row without its version is then refused: <see cref="StaleSelection"/>).</summary>
    public static Dictionary<int, uint> ParseVersions(string? versions)
    {
        var result = new Dictionary<int, uint>();
        foreach (var pair in (versions ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length == 2 && int.TryParse(parts[0], out var id) && uint.TryParse(parts[1], out var v)) result.TryAdd(id, v);
        }
        return result;
    }

    /// <summary>The branch's active members now (read with the unit, counted up to <see cref="MembersPerPage"/> + 1): up to a
    /// page of them, the roster comes with its texts.</summary>
    private int ActiveMembers { get; set; }

    /// <summary>The signed-in user's scope, read with the unit.</summary>
    private UserScope? Scope { get; set; }

    /// <summary>A view's connection of the data source (<see cref="OnGetAsync"/>): the unit, the roster and the texts are read
    /// on it as plain SQL. Null on a post: the page then reads through the context, as its saves do.</summary>
    private NpgsqlConnection? _view;

    /// <summary>The unit, its kind, whether the year is closed for it and its active members up to a page and one.</summary>
    internal sealed record FoundUnit(OrgUnit Unit, OrgKind Kind, bool Closed, int Active);

    /// <summary>A row of <see cref="UnitRows"/>: the unit's and its kind's columns, the year's closure and the active count.</summary>
    internal sealed record UnitRow(int Id, string Code, string Name, int KindId, int? ParentId, LTree Path, int FoundedYear, DateOnly? ClosedOn, int? MergedIntoId, uint Version,
        int KindKey, string KindCode, string KindName, string KindSymbol, bool KindIsBranch, int KindSortOrder, bool Closed, int Active)
    {
        public const int Columns = 18;

        public FoundUnit Found()
        {
            var kind = new OrgKind { Id = KindKey, Code = KindCode, Name = KindName, Symbol = KindSymbol, IsBranch = KindIsBranch, SortOrder = KindSortOrder };
            var unit = new OrgUnit
            {
                Id = Id, Code = Code, Name = Name, KindId = KindId, ParentId = ParentId, Path = Path, FoundedYear = FoundedYear, ClosedOn = ClosedOn,
                MergedIntoId = MergedIntoId, Version = Version, Kind = kind,
            };
            return new FoundUnit(unit, kind, Closed, Active);
        }
    }

    /// <summary>The units with their kind, the year's closure (a closed plan year of the unit or of an ancestor:
    /// <see cref="YearGuard.WithClosure"/>) and their active members counted up to <see cref="MembersPerPage"/> + 1, in one
    /// statement. A post reads it through the context over the user's units; a view runs its SQL on the data source
    /// (<see cref="ReadUnitAsync"/>) and checks the subtree in memory.</summary>
    internal static IQueryable<UnitRow> UnitRows(IQueryable<OrgUnit> units, AppDbContext db, int year) =>
        units.WithClosure(db, year).Select(x => new UnitRow(x.Unit.Id, x.Unit.Code, x.Unit.Name, x.Unit.KindId, x.Unit.ParentId, x.Unit.Path, x.Unit.FoundedYear,
            x.Unit.ClosedOn, x.Unit.MergedIntoId, x.Unit.Version, x.Kind.Id, x.Kind.Code, x.Kind.Name, x.Kind.Symbol, x.Kind.IsBranch, x.Kind.SortOrder, x.Closed,
            db.Members.Where(m => m.BranchId == x.Unit.Id && m.Status == MemberStatus.Active).Take(MembersPerPage + 1).Count()));

    private const int SampleUnit = 987654321, SampleYear = 987654;

    // The view's unit statement: EF's SQL of UnitRows for one unit, generated once (the rules stay in LINQ: no second text of
    // them to keep equal), run on the data source's connection and read by position. The subtree is checked by the caller in
    // memory by AccessService.Can, as UnitWithAncestorsAsync does (a unit outside the user's subtree is not found).
    private static KeptStatement UnitStatement(AppDbContext db)
    {
        var (unitId, year) = (SampleUnit, SampleYear);
        return KeptStatement.Of(UnitRows(db.OrgUnits.Where(u => u.Id == unitId), db, year), UnitRow.Columns, SampleUnit, SampleYear);
    }

    internal static async Task<FoundUnit?> ReadUnitAsync(AppDbContext db, NpgsqlConnection conn, int unitId, int year, CancellationToken ct)
    {
        var sql = KeptStatement.For(db, "grid-unit", UnitStatement);
        await using var cmd = sql.Create(conn, null, unitId, year);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        sql.CheckColumns(r);
        return await r.ReadAsync(ct) ? UnitOf(r) : null;
    }

    /// <summary>The unit's statement and the roster's (<see cref="BranchGridQuery.AddBatchCommands"/>) in one batch: one round trip
    /// for both (docs/performance.md, GRID18). The roster is read whatever the unit: the caller shows it only for a unit the
    /// user may see (<see cref="AccessService.Can"/>), as it shows the unit.</summary>
    internal static async Task<(FoundUnit? Unit, BranchGrid Grid)> ReadUnitAndRosterAsync(AppDbContext db, NpgsqlConnection conn, int unitId, int year, bool withTexts, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn);
        AddUnitAndRoster(batch, db, unitId, year, withTexts);
        FoundUnit? found;
        BranchGridQuery.Batched read;
        await using (var r = await batch.ExecuteReaderAsync(ct))
            (found, read) = await ReadUnitAndRosterAsync(r, db, unitId, withTexts, ct);
        // A branch larger than a page: its roster from the batch's parts (and the pledges kept elsewhere of those who stand
        // elsewhere or nowhere, one more statement), docs/performance.md, GRID19L.
        return (found, await BranchGridQuery.CompleteAsync(db, conn, read, unitId, year, ct));
    }

    /// <summary>The unit's statement and the roster's, added to a batch (this view's own, or the account check's: <see cref="GridViewReadsWithAccount"/>).</summary>
    internal static void AddUnitAndRoster(NpgsqlBatch batch, AppDbContext db, int unitId, int year, bool withTexts)
    {
        batch.BatchCommands.Add(KeptStatement.For(db, "grid-unit", UnitStatement).CreateBatchCommand(unitId, year));
        BranchGridQuery.AddBatchCommands(batch, db, unitId, year, withTexts);
    }

    /// <summary>The results of <see cref="AddUnitAndRoster"/>, the reader on the unit's.</summary>
    internal static async Task<(FoundUnit? Unit, BranchGridQuery.Batched Read)> ReadUnitAndRosterAsync(NpgsqlDataReader r, AppDbContext db, int unitId, bool withTexts, CancellationToken ct)
    {
        KeptStatement.For(db, "grid-unit", UnitStatement).CheckColumns(r);
        var found = await r.ReadAsync(ct) ? UnitOf(r) : null;
        await r.NextResultAsync(ct);
        return (found, await BranchGridQuery.ReadBatchedAsync(db, r, unitId, withTexts, ct));
    }

    /// <summary>
    /// The grid's view (GET) sends its unit's and roster's statements in the cookie check's batch, after the account's (one
    /// round trip for the account, the unit and the roster: docs/performance.md, GRID20; ADR 0038). Only for an address the
    /// page reads that way: a GET with the unit in the route and one year in the query within the plan years' range; the
    /// page uses what was read only if its own bound unit and year are the same (<see cref="LoadUnitAsync"/>) and reads
    /// itself otherwise. The subtree, the account's scope and everything after the batch are checked by the page as before.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class)]
    internal sealed class GridViewReadsWithAccount : Attribute, IReadsWithAccount
    {
        public ViewReadWithAccount? Add(HttpContext http, NpgsqlBatch batch)
        {
            if (!HttpMethods.IsGet(http.Request.Method) || http.Request.Query.ContainsKey("handler")) return null;
            if (!int.TryParse(http.GetRouteValue("unitId") as string, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var unitId)) return null;
            var years = http.Request.Query["year"];
            if (years.Count != 1 || !int.TryParse(years[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var year)
                || !PlanYearRange.Contains(year)) return null;
            var db = http.RequestServices.GetRequiredService<AppDbContext>();
            var read = new GridRead(db, unitId, year, withTexts: !MoreThanAPage.ContainsKey(unitId));
            AddUnitAndRoster(batch, db, unitId, year, read.WithTexts);
            return read;
        }
    }

    /// <summary>The unit and the roster read with the account (<see cref="GridViewReadsWithAccount"/>).</summary>
    internal sealed class GridRead(AppDbContext db, int unitId, int year, bool withTexts) : ViewReadWithAccount
    {
        public int UnitId => unitId;
        public int Year => year;
        public bool WithTexts => withTexts;
        public FoundUnit? Unit { get; private set; }
        public BranchGridQuery.Batched? Roster { get; private set; }

        public override async Task ReadAsync(NpgsqlDataReader r, CancellationToken ct) =>
            (Unit, Roster) = await ReadUnitAndRosterAsync(r, db, unitId, withTexts, ct);
    }

    /// <summary>A row of the unit's statement, read by position (<see cref="UnitRows"/>' projection).</summary>
    private static FoundUnit UnitOf(NpgsqlDataReader r) =>
        new UnitRow(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), new LTree(r.GetString(5)), r.GetInt32(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7), r.IsDBNull(8) ? null : r.GetInt32(8), r.GetFieldValue<uint>(9),
            r.GetInt32(10), r.GetString(11), r.GetString(12), r.GetString(13), r.GetBoolean(14), r.GetInt32(15), r.GetBoolean(16), r.GetInt32(17)).Found();

    /// <summary>Units whose last view counted more than a page of active members: their next view's batch reads the roster
    /// without its texts (the page's texts follow by <see cref="BranchGridQuery.TextsAsync(NpgsqlConnection, List{int}, CancellationToken)"/>),
    /// every other unit's with them. Only the choice of statement: the unit's count is read afresh at every view and a wrong
    /// choice costs that view a statement or the texts of pages not shown, never a different page (docs/performance.md, GRID18).</summary>
    internal static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> MoreThanAPage = new();

    /// <summary>The unit and roster read in the cookie check's batch (<see cref="GridViewReadsWithAccount"/>), if any.</summary>
    private GridRead? _readWithAccount;

    /// <summary>The roster read with the unit in a view's batch (<see cref="ReadUnitAndRosterAsync"/>); null on a post.</summary>
    private BranchGrid? _roster;

    private async Task<bool> LoadUnitAsync(int unitId, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(Year)) return false;
        // A status by its exact name; anything else (a number, a list, a typo in a link) is said, dropped from the grid's
        // links and redirects, and everyone listed, as with no filter.
        // A status named in other letter case (a link typed by hand: "submitted") is that status (the walk of session 13).
        if (!string.IsNullOrEmpty(Filter) && Enum.GetNames<PledgeStatus>().Append(Unregistered).FirstOrDefault(n => string.Equals(n, Filter, StringComparison.OrdinalIgnoreCase)) is { } named)
            Filter = named;
        if (!string.IsNullOrEmpty(Filter) && Filter != Unregistered && !Enum.GetNames<PledgeStatus>().Contains(Filter, StringComparer.Ordinal))
        {
            // Shown without format characters (a right-to-left override would turn the rest of the line around) and cut short.
            var shown = new string(Filter.Where(c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format).Take(60).ToArray());
            FilterNotice = $"Không có bộ lọc \u201C{shown}\u201D: đang hiện tất cả thành viên. Vui lòng chọn trạng thái trong danh sách \u201CLọc theo trạng thái\u201D.";
            Filter = null;
        }
        // Editors open at once: no more than a page of members' worth (the attack walk: 900 "add" values, a 175 KB page).
        (Open, Add) = ([.. Open.Distinct().Take(MembersPerPage)], [.. Add.Distinct().Take(MembersPerPage)]);
        var scope = Scope = await access.ScopeAsync(ct);
        // The unit (within the secretary's subtree, as FindUnitAsync reads it) and its year's closure in one statement.
        // (With its count of active members up to one more than a page: a branch that fits on one page reads its texts with
        // the roster. Counted no further: the largest branch's 932 members were most of the statement's cost.)
        // A view reads the roster in the same batch (its variant with or without texts by the unit's count at its last view).
        FoundUnit? found;
        if (_view is not null)
        {
            var (read, roster) = _readWithAccount is { } ahead && ahead.UnitId == unitId && ahead.Year == Year
                ? (ahead.Unit, await BranchGridQuery.CompleteAsync(db, _view, ahead.Roster!, unitId, Year, ct))
                : await ReadUnitAndRosterAsync(db, _view, unitId, Year, withTexts: !MoreThanAPage.ContainsKey(unitId), ct);
            if (read is not null && read.Active > MembersPerPage) MoreThanAPage[unitId] = true;
            else if (read is not null) MoreThanAPage.TryRemove(unitId, out _);
            found = read is not null && AccessService.Can(scope, Permission.ViewMembers, read.Unit.Path) ? read : null;
            _roster = found is null ? null : roster;
        }
        else found = (await UnitRows(access.Units(scope, Permission.ViewMembers).Where(u => u.Id == unitId), db, Year).FirstOrDefaultAsync(ct))?.Found();
        if (found is null) return false;
        Unit = found.Unit;
        Unit.Kind = found.Kind;
        YearClosed = found.Closed;
        ActiveMembers = found.Active;
        CanManage = !YearClosed && AccessService.IsPledgeSecretary(scope, Unit.Path);
        Closed = await db.ClosedNoteAsync(Unit, scope, Permission.ViewMembers, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        // One connection of the data source for the unit, the roster and the texts (one pool reset for all of them), returned
        // before the page is written; EF's context is not used (a closed unit's note and a pledge of a member who moved out
        // of the user's subtree, both rare, still ask it).
        // The unit and the roster may have come with the account, on a connection still open (GridViewReadsWithAccount).
        _readWithAccount = ViewReadWithAccount.Take<GridRead>(HttpContext);
        await using var conn = _view = _readWithAccount?.Connection ?? await dataSource.OpenConnectionAsync(ct);
        try
        {
            if (!await LoadUnitAsync(unitId, ct)) return NotFound();
            await LoadGridAsync(ct);
            return Page();
        }
        finally { _view = null; }
    }

    /// <summary>A pledge of the roster with what the filter, counts and order need (no texts yet).</summary>
    private sealed record Slot(PledgeData P, bool Counted, bool Editable, DeadlineState State);

    private sealed record Listed(GridMember Member, bool IsCurrent, List<Slot> Pledges);

    /// <summary>The grid from the roster of every listed member (filter, search, order, page, headline, waiting count and
    /// deadline list are worked out from it) and the texts of the pledges shown on the page and in the deadline list only:
    /// read with the roster for a branch that fits on a page, by a second statement for a larger one (docs/performance.md,
    /// "branch grid").</summary>
    private async Task LoadGridAsync(CancellationToken ct)
    {
        var unitId = Unit.Id;
        var year = Year;
        // Listed members beyond the active ones (moved away with a pledge kept here) are few: a branch of up to
        // MembersPerPage active members nearly always fits on one page, whose texts are all shown anyway.
        var grid = _roster ?? (_view is not null ? await BranchGridQuery.LoadAsync(db, _view, unitId, year, ct, withTexts: ActiveMembers <= MembersPerPage)
            : await BranchGridQuery.LoadAsync(db, unitId, year, ct, withTexts: ActiveMembers <= MembersPerPage));
        var (members, pledges) = (grid.Members, grid.Pledges);
        var today = db.Clock.Today;
        var slots = pledges.Select(p => new Slot(p, grid.CountedHere(p),
            p.BranchId == unitId && CanManage && PledgeRules.Allows(PledgeRole.Secretary, PledgeAction.Edit, p.Status, false),
            PledgeRules.Deadline(p.Status, p.Deadline, today, YearClosed))).ToList();
        // Shown only if the user may see it (AccessService.Pledges): a member listed here for a pledge left here may have
        // moved to a branch outside the user's subtree and registered pledges there. Those are the only pledges to ask
        // about: one registered here, or of a member whose branch is this one, is within the user's sight already.
        var byId = members.ToDictionary(m => m.Id);
        var outside = slots.Where(s => s.P.BranchId != unitId && byId[s.P.MemberId].BranchId != unitId).Select(s => s.P.Id).ToList();
        if (outside.Count > 0)
        {
            var allowed = (await access.Pledges(Scope!).Where(p => outside.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
            slots = slots.Where(s => !outside.Contains(s.P.Id) || allowed.Contains(s.P.Id)).ToList();
        }
        var byMember = slots.ToLookup(s => s.P.MemberId);
        LivePledges = pledges.Where(p => p.BranchId == unitId).Select(p => (p.Id, p.Version)).ToList();

        (MemberCount, RegisteredCount, PledgeCount, DoneCount) = grid.Headline();
        WaitingCount = slots.Count(s => s.Counted && PledgeSets.Waiting.Contains(s.P.Status));
        var deadlines = slots.Where(s => s.Counted && s.State != DeadlineState.None).OrderBy(s => s.P.Deadline).ToList();

        var all = members.Select(m => new Listed(m, grid.StandsHere(m.Id), byMember[m.Id].ToList())).ToList();
        // A status's exact name, or none (LoadUnitAsync dropped any other value).
        PledgeStatus? status = Filter is null or "" or Unregistered ? null : Enum.Parse<PledgeStatus>(Filter);
        var listed = Filter switch
        {
            null or "" => all,
            Unregistered => all.Where(r => r.IsCurrent && !HasPlanHere(r.Pledges.Select(p => (p.Counted, p.P.Status)))).ToList(),
            _ => all.Select(r => r with { Pledges = r.Pledges.Where(p => p.P.Status == status).ToList() }).Where(r => r.Pledges.Count > 0).ToList(),
        };
        if (SearchRoute is { } search)
        {
            var folded = VietnameseText.FoldInMemory(search);
            listed = listed.Where(r => VietnameseText.FoldInMemory(r.Member.FullName).Contains(folded, StringComparison.Ordinal)
                || (r.Member.CardNumber?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)).ToList();
        }
        ListedCount = listed.Count;
        PageCount = Math.Max(1, (listed.Count + MembersPerPage - 1) / MembersPerPage);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var page = listed.Skip((PageNumber - 1) * MembersPerPage).Take(MembersPerPage).ToList();

        // The texts of the shown pledges and of the deadline list only.
        var shownIds = grid.Texts is null ? page.SelectMany(r => r.Pledges).Concat(deadlines).Select(s => s.P.Id).Distinct().ToList() : null;
        var texts = grid.Texts ?? (_view is not null ? await BranchGridQuery.TextsAsync(_view, shownIds!, ct) : await BranchGridQuery.TextsAsync(db, shownIds!, ct));
        var posted = Input.Edit.Where(e => e.Content is not null || e.Editable).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
        // A pledge deleted between the two statements has no texts: it is left out, as it would be a moment later.
        List<PledgeRow> RowsOf(IEnumerable<Slot> of) => of.Where(s => texts.ContainsKey(s.P.Id)).Select(s =>
        {
            var (p, t) = (s.P, texts[s.P.Id]);
            var row = new PledgeRow(p.Id, p.MemberId, byId[p.MemberId].FullName, p.BranchId, t.Content, t.Solution, p.Deadline, p.Status, t.Reason, t.EvidenceNote, p.Version, s.Counted, s.Editable, s.State);
            return posted.TryGetValue(p.Id, out var e) && s.Editable ? row with { Content = e.Content ?? "", Solution = e.Solution, Deadline = e.Deadline, Open = true }
                : row with { Open = s.Editable && Open.Contains(p.Id) };
        }).ToList();
        DeadlineRows = RowsOf(deadlines);
        Rows = page.Select(r =>
        {
            var m = r.Member;
            return new MemberRow(m.Id, m.FullName, m.CardNumber, r.IsCurrent, r.IsCurrent && byMember[m.Id].Any(p => p.P.BranchId != unitId), RowsOf(r.Pledges),
                Add.Contains(m.Id) || (InvalidInputs.Count > 0 && (InvalidInputs.Contains($"nc-{m.Id}") || InvalidInputs.Contains($"nd-{m.Id}"))) || Input.New.Any(n => n.MemberId == m.Id && (!string.IsNullOrWhiteSpace(n.Content) || !string.IsNullOrWhiteSpace(n.Solution) || n.Deadline is not null)));
        }).ToList();
    }

    public string? PostedNew(int memberId, Func<NewRow, string?> field) =>
        Input.New.FirstOrDefault(n => n.MemberId == memberId) is { } n ? field(n) : null;

    public DateOnly? PostedNewDeadline(int memberId) => Input.New.FirstOrDefault(n => n.MemberId == memberId)?.Deadline;

    /// <summary>A deadline the date binder could not read, in row <paramref name="index"/> of Input.New or Input.Edit: its message, once.</summary>
    private string? TakeUnreadableDeadline(string list, int index)
    {
        if (!ModelState.TryGetValue($"Input.{list}[{index}].Deadline", out var entry) || entry.Errors.Count == 0) return null;
        var message = entry.Errors[0].ErrorMessage;
        entry.Errors.Clear();
        return message;
    }

    /// <summary>Ids of the inputs to mark invalid ("c-12", "nd-7"): the failing rows, with the member named in the message.</summary>
    public HashSet<string> InvalidInputs { get; } = [];
    public string Invalid(string inputId) => InvalidInputs.Contains(inputId) ? "is-invalid" : "";
    public string? AriaInvalid(string inputId) => InvalidInputs.Contains(inputId) ? "true" : null;

    /// <summary>Bulk actions the grid offers; the rules of each live in <see cref="PledgeRules"/>.</summary>
    public static readonly PledgeAction[] BulkActions =
        [PledgeAction.Approve, PledgeAction.Return, PledgeAction.Verify, PledgeAction.ConfirmAtMeeting, PledgeAction.MarkNotDone, PledgeAction.Reopen];

    public async Task<IActionResult> OnPostSaveAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadUnitAsync(unitId, ct)) return NotFound();
        if (!CanManage) return await RefuseAsync(YearClosed ? YearClosure.PledgesReadOnly : "Bạn chỉ có quyền xem việc làm theo của chi bộ này.", ct);
        var changes = await StageRowChangesAsync(ct);
        if (changes is null) return NotFound();
        if (!ModelState.IsValid) return await ReloadAsync(ct);
        if (!await SaveAsync(ct)) return await ReloadAsync(ct);
        StatusMessage = $"Đã lưu: thêm {changes.Value.Added}, sửa {changes.Value.Changed} việc làm theo." + Late(changes.Value.Saved);
        return RedirectToPage(new { unitId, year = Year, filter = Filter, q = SearchRoute, pg = PageRoute });
    }

    /// <summary>
    /// A bulk action saves the row edits posted with it in the same transaction, or — when anything is
    /// refused — saves nothing and lists the rows whose changes are not saved. The selection is kept.
    /// </summary>
    public async Task<IActionResult> OnPostBulkAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadUnitAsync(unitId, ct)) return NotFound();
        if (!CanManage) return await RefuseAsync(YearClosed ? YearClosure.PledgesReadOnly : "Bạn chỉ có quyền xem việc làm theo của chi bộ này.", ct);
        if (Input.Action is not { } a0 || !BulkActions.Contains(a0)) ModelState.AddModelError("", "Thao tác không hợp lệ.");
        if (Input.Selected.Count == 0) ModelState.AddModelError("", "Vui lòng chọn ít nhất một việc làm theo.");
        if (Input.Action is { } a1 && BulkActions.Contains(a1) && PledgeRules.NeedsReason(a1) && string.IsNullOrWhiteSpace(Input.Reason))
        {
            ModelState.AddModelError("Input.Reason", a1 switch
            {
                PledgeAction.Return => "Vui lòng ghi lý do trả lại.",
                PledgeAction.MarkNotDone => "Vui lòng ghi lý do không hoàn thành.",
                _ => "Vui lòng ghi lý do mở lại.",
            });
            InvalidInputs.Add("return-reason");
        }
        var changes = await StageRowChangesAsync(ct);
        if (changes is null) return NotFound();
        if (!ModelState.IsValid) return await RefuseWithUnsavedAsync(changes.Value.Dirty, ct);
        var action = Input.Action!.Value;
        var selected = Input.Selected.Distinct().ToList();
        var pledges = await db.Pledges.Include(p => p.Member).Where(p => selected.Contains(p.Id) && p.BranchId == Unit.Id && p.Year == Year).ToListAsync(ct);
        if (pledges.Count != selected.Count) return NotFound();
        var versions = ParseVersions(Input.Versions);
        foreach (var e in Input.Edit) versions[e.Id] = e.Version;
        // Every selected row is checked against the version it was shown with: a row posted without one (a page of an
        // older version of the site, a hand-made post) could otherwise overwrite a newer change unseen.
        if (pledges.Any(p => db.Entry(p).State == EntityState.Unchanged && !versions.ContainsKey(p.Id)))
        {
            ModelState.AddModelError("", StaleSelection);
            return await RefuseWithUnsavedAsync(changes.Value.Dirty, ct);
        }
        var skipped = new List<string>();
        var now = db.Clock.Now;
        foreach (var p in pledges)
        {
            if (PledgeRules.Refusal(PledgeRole.Secretary, action, p.Status, YearClosed) is { } refusal) { skipped.Add($"{p.Member.FullName}: {refusal.TrimEnd('.')}"); continue; }
            if (db.Entry(p).State == EntityState.Unchanged && versions.TryGetValue(p.Id, out var v)) db.Entry(p).Property(x => x.Version).OriginalValue = v;
            PledgeRules.Apply(p, PledgeRole.Secretary, action, Input.Reason, YearClosed, now);
        }
        if (!await SaveAsync(ct)) return await RefuseWithUnsavedAsync(changes.Value.Dirty, ct);
        var done = pledges.Count - skipped.Count;
        var saved = changes.Value.Added + changes.Value.Changed;
        StatusMessage = $"{action.Label()}: {done} việc làm theo." + (saved > 0 ? $" Đã lưu kèm: thêm {changes.Value.Added}, sửa {changes.Value.Changed}." : "")
                                    + (skipped.Count > 0 ? $" Bỏ qua {skipped.Count}: " + string.Join("; ", skipped) + "." : "") + Late(changes.Value.Saved);
        return RedirectToPage(new { unitId, year = Year, filter = Filter, q = SearchRoute, pg = PageRoute });
    }

    /// <summary>
    /// Checks and stages (tracked, unsaved) the new rows and row edits posted with any button. Problems go to
    /// ModelState naming the member, and their inputs to <see cref="InvalidInputs"/>. Null: a row outside the branch.
    /// </summary>
    private async Task<(int Added, int Changed, List<string> Dirty, List<(string Who, DateOnly? Deadline)> Saved)?> StageRowChangesAsync(CancellationToken ct)
    {
        // A deadline that is not a date keeps its row (and its member's name) in the message.
        var unreadableNew = Enumerable.Range(0, Input.New.Count).Select(i => (Row: Input.New[i], Message: TakeUnreadableDeadline("New", i))).Where(x => x.Message is not null).ToDictionary(x => x.Row, x => x.Message!);
        var unreadableEdit = Enumerable.Range(0, Input.Edit.Count).Select(i => (Row: Input.Edit[i], Message: TakeUnreadableDeadline("Edit", i))).Where(x => x.Message is not null).GroupBy(x => x.Row.Id).ToDictionary(g => g.Key, g => g.First().Message!);
        var added = Input.New.Where(n => !string.IsNullOrWhiteSpace(n.Content) || !string.IsNullOrWhiteSpace(n.Solution) || n.Deadline is not null || unreadableNew.ContainsKey(n)).ToList();
        var memberIds = added.Select(n => n.MemberId).Distinct().ToList();
        var ours = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id) && m.BranchId == Unit.Id).ToDictionaryAsync(m => m.Id, m => m.FullName, ct);
        if (ours.Count != memberIds.Count) return null;
        var dirty = new List<string>();
        var saved = new List<(string Who, DateOnly? Deadline)>();
        foreach (var n in added)
        {
            var name = ours[n.MemberId];
            dirty.Add($"{name} (việc làm theo mới)");
            if (string.IsNullOrWhiteSpace(n.Content))
            {
                ModelState.AddModelError("", $"{name}: vui lòng nhập nội dung việc làm theo mới (đã có giải pháp hoặc thời hạn nhưng chưa có nội dung).");
                InvalidInputs.Add($"nc-{n.MemberId}");
            }
            if (unreadableNew.TryGetValue(n, out var unreadable))
            {
                ModelState.AddModelError("", $"{name}: {unreadable}");
                InvalidInputs.Add($"nd-{n.MemberId}");
            }
            else if (PledgeRules.DeadlineRefusal(Year, n.Deadline) is { } dl)
            {
                ModelState.AddModelError("", $"{name}: {dl}");
                InvalidInputs.Add($"nd-{n.MemberId}");
            }
            saved.Add((name, n.Deadline));
            if (ModelState.IsValid)
                db.Pledges.Add(new Pledge { MemberId = n.MemberId, BranchId = Unit.Id, Year = Year, Content = n.Content!.Trim(), Solution = Clean(n.Solution), Deadline = n.Deadline, Status = PledgeStatus.Draft });
        }

        var edits = Input.Edit.Where(e => e.Content is not null || e.Editable).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
        var ids = edits.Keys.ToList();
        var existing = await db.Pledges.Include(p => p.Member).Where(p => ids.Contains(p.Id) && p.BranchId == Unit.Id && p.Year == Year).ToListAsync(ct);
        // An edited row that is not (or no longer) a live pledge of this branch and year: deleted meanwhile, or a posted
        // id of another branch. Nothing is saved and the grid says so, rather than "saved" with the row left out.
        if (existing.Count != ids.Count)
            ModelState.AddModelError("", "Có việc làm theo đã sửa không còn trên bảng của chi bộ này (có thể vừa bị xóa): chưa lưu thay đổi nào, vui lòng tải lại bảng.");
        var changed = 0;
        foreach (var p in existing)
        {
            var e = edits[p.Id];
            if (unreadableEdit.TryGetValue(p.Id, out var unreadable))
            {
                dirty.Add($"{p.Member.FullName} (“{Short(p.Content)}”)");
                ModelState.AddModelError("", $"{p.Member.FullName}: {unreadable}");
                InvalidInputs.Add($"d-{p.Id}");
                continue;
            }
            var content = e.Content?.Trim() ?? "";
            if (content == p.Content && Clean(e.Solution) == p.Solution && e.Deadline == p.Deadline) continue;
            dirty.Add($"{p.Member.FullName} (“{Short(p.Content)}”)");
            var problems = new List<string>();
            if (content.Length == 0) { problems.Add("nội dung việc làm theo không được để trống"); InvalidInputs.Add($"c-{p.Id}"); }
            if (e.Deadline != p.Deadline && PledgeRules.DeadlineRefusal(Year, e.Deadline) is { } dl) { problems.Add(dl); InvalidInputs.Add($"d-{p.Id}"); }
            if (PledgeRules.Refusal(PledgeRole.Secretary, PledgeAction.Edit, p.Status, YearClosed) is { } refusal) { problems.Add(refusal); InvalidInputs.Add($"c-{p.Id}"); }
            if (problems.Count > 0)
            {
                ModelState.AddModelError("", $"{p.Member.FullName}: {string.Join(" ", problems.Select(x => x.EndsWith('.') ? x : x + "."))}");
                continue;
            }
            db.Entry(p).Property(x => x.Version).OriginalValue = e.Version;
            p.Content = content; p.Solution = Clean(e.Solution); p.Deadline = e.Deadline;
            saved.Add((p.Member.FullName, p.Deadline));
            changed++;
        }
        return (added.Count, changed, dirty, saved);
    }

    private async Task<IActionResult> RefuseWithUnsavedAsync(List<string> dirty, CancellationToken ct)
    {
        if (dirty.Count > 0) Errors.Add($"Chưa lưu thay đổi nào. Các dòng đã sửa vẫn còn trên bảng, chưa được lưu: {string.Join("; ", dirty)}.");
        return await ReloadAsync(ct);
    }

    /// <summary>The past deadlines among the rows just saved, said after the saved message (they are accepted: PledgeRules).</summary>
    private string Late(List<(string Who, DateOnly? Deadline)> saved) =>
        PledgeRules.PastDeadlinesNote(saved, db.Clock.Today) is { } note ? " " + note : "";

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException ex)
        {
            foreach (var entry in ex.Entries)
            {
                if (entry.Entity is not Pledge mine) continue;
                var current = await db.Pledges.AsNoTracking().Include(p => p.Member).FirstOrDefaultAsync(p => p.Id == mine.Id, ct);
                Errors.Add(current is null
                    ? "Việc làm theo bạn sửa đã bị xóa."
                    : PledgeText.Conflict(current));
            }
            if (Errors.Count == 0) Errors.Add(PledgeText.ConflictGeneric);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<IActionResult> ReloadAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await LoadGridAsync(ct);
        return Page();
    }

    private async Task<IActionResult> RefuseAsync(string message, CancellationToken ct)
    {
        Errors.Add(message);
        return await ReloadAsync(ct);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
