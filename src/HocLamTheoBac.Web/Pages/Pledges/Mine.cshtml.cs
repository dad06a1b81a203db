using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges.Hints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>"My pledges this year": a member registers, submits and reports done with a note, on a phone.</summary>
public sealed class MineModel(AppDbContext db, AccessService access, PledgeHintService hints, NpgsqlDataSource dataSource) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    [BindProperty] public InputModel Input { get; set; } = new();

    /// <summary>A new pledge (<see cref="PledgeForm"/>), or an action on one of the member's pledges with its note.</summary>
    public sealed class InputModel : PledgeForm
    {
        public int PledgeId { get; set; }
        public uint Version { get; set; }
        public PledgeAction? Action { get; set; }
        [StringLength(PledgeLimits.EvidenceNote, ErrorMessage = PledgeLimits.EvidenceNoteMessage)]
        public string? Note { get; set; }
    }

    public sealed record Row(int Id, string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status, string? Reason, string? EvidenceNote, uint Version, bool CanSubmit, bool CanReport, DeadlineState DeadlineState);

    public bool HasMember { get; private set; }
    public bool YearClosed { get; private set; }
    public List<Row> Rows { get; private set; } = [];
    public List<string> Errors { get; } = [];

    /// <summary>
    /// The page's reads in one round trip on one connection (docs/performance.md, member's page, session 10): whether the
    /// year is closed for the member's branch (<see cref="YearGuard.Closed"/>), the member's pledges of the year, and the hints' stamps of those pledges (<see cref="PledgeHintQuery.StampsCommand"/>); then the hints
    /// (<see cref="PledgeHintService.LoadStampsAsync"/>, a computation only for a changed branch and year). A view (GET) runs
    /// the batch on a connection of the site's data source, returned before the page is written, without EF's per-request
    /// context; a post's redraw on the context's connection (docs/performance.md, MEMBER17). The statements are EF's SQL of
    /// <see cref="Statements"/>, generated once for the context's options (<see cref="ViewBatch"/>).
    /// </summary>
    private async Task LoadAsync(UserScope scope, CancellationToken ct, NpgsqlDataSource? view = null)
    {
        HasMember = scope.MemberId is not null;
        if (scope.MemberId is not int memberId) return;
        var batch = ViewBatch.For(db);
        PageData read;
        if (view is not null)
        {
            await using var conn = await view.OpenConnectionAsync(ct);
            read = await batch.ReadAsync(conn, memberId, Year, ct);
        }
        else read = await db.OnConnectionAsync(conn => batch.ReadAsync(conn, memberId, Year, ct), ct);
        YearClosed = read.Closed;
        var today = db.Clock.Today;
        Rows = read.Pledges.Select(p => new Row(p.Id, p.Content, p.Solution, p.Deadline, p.Status, p.Reason, p.EvidenceNote, p.Version,
            PledgeRules.Allows(PledgeRole.Owner, PledgeAction.Submit, p.Status, YearClosed),
            PledgeRules.Allows(PledgeRole.Owner, PledgeAction.ReportDone, p.Status, YearClosed),
            PledgeRules.Deadline(p.Status, p.Deadline, today, YearClosed))).ToList();
        await hints.LoadStampsAsync(read.Stamps);
    }

    /// <summary>A pledge of the member as the page reads it.</summary>
    internal sealed record PledgeData(int Id, string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status, string? Reason, string? EvidenceNote, uint Version);

    /// <summary>What the page's batch reads: the year's closure for the member's branch, the pledges in id order, the hints' stamps.</summary>
    internal sealed record PageData(bool Closed, List<PledgeData> Pledges, List<(int BranchId, int Year, string Stamp)> Stamps);

    /// <summary>
    /// The page's three statements as EF generates them for a member and a year: the rules stay in these queries (the
    /// closure of <see cref="YearGuard.Closed"/>, the pledges' query filter that hides deleted ones, the hints' stamp).
    /// </summary>
    internal static NpgsqlBatchCommand[] Statements(AppDbContext db, int memberId, int year)
    {
        var pledges = db.Pledges.Where(p => p.MemberId == memberId && p.Year == year);
        return
        [
            db.Members.Where(m => m.Id == memberId).Select(m => m.Branch).Select(YearGuard.Closed(db, year)).ToBatchCommand(),
            pledges.OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.Content, p.Solution, p.Deadline, p.Status, p.Reason, p.EvidenceNote, p.Version })
                .ToBatchCommand(),
            PledgeHintQuery.StampsCommand(pledges.Select(p => p.Id).ToBatchCommand()),
        ];
    }

    /// <summary>
    /// <see cref="Statements"/> generated once for the context's options (the site's are one instance for the process; the
    /// tests' contexts have their own) with sample values, each parameter tied back to the member or the year; a view then
    /// builds its batch without EF's query pipeline, whose per-request context services and query compilation were a fifth
    /// of the page's site CPU (docs/performance.md, MEMBER17).
    /// </summary>
    internal sealed class ViewBatch
    {
        private const int SampleMember = 987654321, SampleYear = 987654;
        private readonly KeptStatement[] _statements;

        private ViewBatch(KeptStatement[] statements) => _statements = statements;

        // The three statements kept together for the context's options (Data/KeptStatement.cs: nothing made per view); the
        // projection's columns are checked by the reader below, so none is given here (0: unchecked).
        public static ViewBatch For(AppDbContext db) =>
            KeptStatement.For(db, "mine-view", static db => new ViewBatch([.. Statements(db, SampleMember, SampleYear).Select(q => KeptStatement.Of(q, 0, SampleMember, SampleYear))]));

        /// <summary>The batch for <paramref name="memberId"/> and <paramref name="year"/> on <paramref name="conn"/>, read.</summary>
        public async Task<PageData> ReadAsync(NpgsqlConnection conn, int memberId, int year, CancellationToken ct)
        {
            await using var batch = Create(conn, memberId, year);
            return await ReadAsync(batch, ct);
        }

        /// <summary>The batch's commands for <paramref name="memberId"/> and <paramref name="year"/> on <paramref name="conn"/>.</summary>
        internal NpgsqlBatch Create(NpgsqlConnection conn, int memberId, int year)
        {
            var batch = conn.CreateBatch();
            foreach (var statement in _statements) batch.BatchCommands.Add(statement.CreateBatchCommand(memberId, year));
            return batch;
        }

        /// <summary>Runs <paramref name="batch"/> (the commands of <see cref="Statements"/>, in order) and reads its three results.</summary>
        internal static async Task<PageData> ReadAsync(NpgsqlBatch batch, CancellationToken ct)
        {
            await using var r = await batch.ExecuteReaderAsync(ct);
            var closed = await r.ReadAsync(ct) && r.GetBoolean(0);
            await r.NextResultAsync(ct);
            var rows = new List<PledgeData>();
            while (await r.ReadAsync(ct))
                rows.Add(new(r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3),
                    (PledgeStatus)r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<uint>(7)));
            await r.NextResultAsync(ct);
            return new PageData(closed, rows, await PledgeHintQuery.ReadStampsAsync(r, ct));
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!PlanYearRange.Contains(Year)) return NotFound();
        await LoadAsync(await access.ScopeAsync(ct), ct, dataSource);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (scope.MemberId is not int memberId) return NotFound();
        var member = await db.Members.Where(m => m.Id == memberId).Select(m => new { m.BranchId, m.Branch.Path }).SingleAsync(ct);
        if (string.IsNullOrWhiteSpace(Input.Content)) ModelState.AddModelError("Input.Content", PledgeForm.ContentRequired);
        if (PledgeRules.DeadlineRefusal(Year, Input.Deadline) is { } dl) ModelState.AddModelError("Input.Deadline", dl);
        if (PledgeRules.SelfRegistrationYearRefusal(Year, db.Clock.Year) is { } yr) ModelState.AddModelError("", yr);
        if (await YearGuard.IsClosedAsync(db, member.Path, Year, ct)) ModelState.AddModelError("", YearClosure.PledgesReadOnly);
        if (!ModelState.IsValid) { await LoadAsync(scope, ct); return Page(); }
        var pledge = new Pledge { MemberId = memberId, BranchId = member.BranchId, Year = Year, Content = "" };
        Input.ApplyTo(pledge);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã thêm việc làm theo (bản nháp). Bấm “Gửi duyệt” khi đã hoàn chỉnh."
                        + (PledgeRules.PastDeadlineNote(pledge.Deadline, db.Clock.Today) is { } late ? " " + late : "");
        return RedirectToPage(new { Year });
    }

    public async Task<IActionResult> OnPostActAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (scope.MemberId is not int memberId) return NotFound();
        var pledge = await db.Pledges.Include(p => p.Member).FirstOrDefaultAsync(p => p.Id == Input.PledgeId && p.MemberId == memberId, ct);
        if (pledge is null) return NotFound();
        var branchPath = await db.OrgUnits.Where(u => u.Id == pledge.BranchId).Select(u => u.Path).SingleAsync(ct);
        var closed = await YearGuard.IsClosedAsync(db, branchPath, pledge.Year, ct);
        if (Input.Action is not (PledgeAction.Submit or PledgeAction.ReportDone)) ModelState.AddModelError("", "Thao tác không hợp lệ.");
        else if (PledgeRules.Refusal(PledgeRole.Owner, Input.Action.Value, pledge.Status, closed) is { } refusal) ModelState.AddModelError("", refusal);
        // The refusal is shown over the pledge's own year (a hand-made post may name another year than the page's).
        if (!ModelState.IsValid) { Year = pledge.Year; await LoadAsync(scope, ct); return Page(); }
        db.Entry(pledge).Property(x => x.Version).OriginalValue = Input.Version;
        PledgeRules.Apply(pledge, PledgeRole.Owner, Input.Action!.Value, Input.Note, closed, db.Clock.Now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Pledges.AsNoTracking().Include(p => p.Member).FirstAsync(p => p.Id == Input.PledgeId, ct);
            Errors.Add(PledgeText.Conflict(current));
            Year = pledge.Year;
            await LoadAsync(scope, ct);
            return Page();
        }
        StatusMessage = Input.Action == PledgeAction.ReportDone ? "Đã báo cáo hoàn thành; chi bộ sẽ xác nhận." : "Đã gửi chi bộ duyệt.";
        return RedirectToPage(new { Year = pledge.Year });
    }
}
