using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.StudySessions;

/// <summary>Marks every expected member present, excused or absent in one form.</summary>
public sealed class AttendanceModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public List<Mark> Input { get; set; } = [];
    public StudySession Session { get; private set; } = null!;
    public OrgUnit Unit { get; private set; } = null!;
    public List<ExpectedMember> Expected { get; private set; } = [];
    public AttendanceRules.Tally Tally { get; private set; }
    /// <summary>The session's year is closed for the unit: the marks are shown, not offered for editing (the save guard refuses them anyway).</summary>
    public bool YearClosed { get; private set; }

    public sealed class Mark
    {
        public int MemberId { get; set; }
        public AttendanceStatus Status { get; set; }
        /// <summary>The mark saved when the form was opened (0: none): a mark changed elsewhere since is kept and said,
        /// not overwritten (the attack walk of session 14: a stale full form put an excused member back to present).</summary>
        public int? Seen { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = Expected.Select(e => new Mark { MemberId = e.MemberId, Status = e.Mark ?? AttendanceStatus.Present }).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // A closed year takes no post, even one that changes nothing (it would be answered "saved").
        if (YearClosed) { ModelState.AddModelError("", YearClosure.Refusal(Unit, Session.Year, Session.HeldOn)); return Page(); }
        // A session not yet held has no attendance (the walk of session 16: marks saved for a session of next year).
        if (Session.HeldOn > db.Clock.Today) { ModelState.AddModelError("", $"Buổi học tập ngày {Vn.Date(Session.HeldOn)} chưa diễn ra: chưa điểm danh được."); return Page(); }
        var expected = Expected.Select(e => e.MemberId).ToHashSet();
        var posted = Input.Where(m => expected.Contains(m.MemberId) && Enum.IsDefined(m.Status)).GroupBy(m => m.MemberId).ToDictionary(g => g.Key, g => g.Last().Status);
        if (!ModelState.IsValid || posted.Count != Input.Count)
        {
            ModelState.AddModelError("", "Có dòng điểm danh không hợp lệ; vui lòng chọn lại cho từng đảng viên.");
            Input = Expected.Select(e => new Mark { MemberId = e.MemberId, Status = posted.GetValueOrDefault(e.MemberId, e.Mark ?? AttendanceStatus.Present) }).ToList();
            return Page();
        }
        var existing = await db.Attendances.Where(a => a.SessionId == Session.Id).ToDictionaryAsync(a => a.MemberId, ct);
        var names = Expected.GroupBy(e => e.MemberId).ToDictionary(g => g.Key, g => g.First().FullName);
        var kept = new List<string>();
        foreach (var m in Input.Where(m => m.Seen is not null && posted.ContainsKey(m.MemberId)))
        {
            var now = existing.TryGetValue(m.MemberId, out var a) ? (int)a.Status : 0;
            if (now == m.Seen || now == (int)posted[m.MemberId]) continue;
            kept.Add($"{names[m.MemberId]}: vừa được ghi ở nơi khác là “{(now == 0 ? "chưa điểm danh" : ((AttendanceStatus)now).Label())}”, bạn chọn “{posted[m.MemberId].Label()}”");
            posted.Remove(m.MemberId);
        }
        var before = existing.Where(e => posted.TryGetValue(e.Key, out var s) && s != e.Value.Status).ToDictionary(e => e.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), e => e.Value.Status.ToString());
        var after = posted.Where(p => !existing.TryGetValue(p.Key, out var a) || a.Status != p.Value).ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value.ToString());
        foreach (var (memberId, status) in posted)
        {
            if (existing.TryGetValue(memberId, out var a)) a.Status = status;
            else db.Attendances.Add(new Attendance { SessionId = Session.Id, MemberId = memberId, Status = status });
        }
        // Attendance rows are not IAudited (no unit of their own): record the marks that changed, per session, here.
        if (after.Count > 0)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                At = db.Clock.Now, Actor = db.Actor.Name, UserId = db.Actor.UserId, Action = "Điểm danh",
                EntityType = nameof(Attendance), EntityId = Session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), OrgUnitId = Unit.Id,
                Before = before.Count > 0 ? System.Text.Json.JsonSerializer.Serialize(before) : null,
                After = System.Text.Json.JsonSerializer.Serialize(after),
            });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            StatusMessage = "Điểm danh vừa được lưu ở nơi khác cùng lúc nên chưa lưu lựa chọn của bạn. Danh sách dưới đây là điểm danh đã lưu; vui lòng xem lại rồi lưu lần nữa.";
            return RedirectToPage(new { id });
        }
        // The session's marks as saved: those posted over those kept (a post may carry only some members).
        var marks = Expected.Where(e => e.Mark is not null).ToDictionary(e => e.MemberId, e => e.Mark!.Value);
        foreach (var (memberId, status) in posted) marks[memberId] = status;
        var tally = AttendanceRules.Count(expected, marks);
        StatusMessage = $"Đã lưu điểm danh: {tally.Present} có mặt, {tally.Excused} vắng có lý do, {tally.Absent} vắng không lý do; tỷ lệ tham dự {AttendanceRules.Format(tally.Rate)}."
            + (kept.Count == 0 ? "" : $" Giữ nguyên {kept.Count} người vừa được điểm danh ở nơi khác (vui lòng xem lại): {string.Join("; ", kept)}.");
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Session.Year });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var session = await db.StudySessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return false;
        var unit = await access.FindUnitAsync(session.OrgUnitId, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Session = session;
        Unit = unit;
        Expected = await SessionQueries.ExpectedAsync(db, db.StudySessions.Where(s => s.Id == id), ct);
        Tally = SessionQueries.Tallies(Expected).GetValueOrDefault(id);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, session.Year, ct, session.HeldOn);
        return true;
    }
}
