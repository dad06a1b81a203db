using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.StudySessions;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Reports.Paper;

/// <summary>
/// Phiếu tổng hợp phục vụ kiểm điểm, đánh giá, xếp loại đảng viên: one member's year (pledges with results and
/// evidence, study-session attendance, commendations, the recorded grade) and the branch's summary of the same.
/// </summary>
/// <param name="MembersAttendance">
/// The branch's members of the year's as-of day at the sessions each was expected at: the sum of their sheets' lines,
/// also on one member's sheet. Not the dashboard's attendance of the branch (<see cref="Figures.AttendanceRate"/>:
/// sessions held within the branch's subtree, none where its ward holds them: "—" above 24 sheets reading "2/2", the walk
/// of session 13).
/// </param>
public sealed record ReviewSheetModel(string ParentBody, string Branch, int Year, IReadOnlyList<ReviewSheetModel.MemberReview> Members, Figures BranchFigures, IReadOnlyDictionary<GradeLevel, int> BranchGrades, Rate MembersAttendance)
{
    public sealed record MemberReview(int MemberId, string FullName, string? CardNumber, string? Position, IReadOnlyList<PledgeResult> Pledges,
        int SessionsPresent, int SessionsRecorded, IReadOnlyList<string> Commendations, GradeLevel? Grade, string? GradeNote)
    {
        /// <summary>Counted as the roll-up counts (ADR 0006): a draft or a returned pledge is not registered.</summary>
        public int Registered => Pledges.Count(p => ReviewSheets.IsRegistered(p.Status));
        public int Done => Pledges.Count(p => p.Status == PledgeStatus.Done);
        public Rate PledgeRate => new(Done, Registered);
        public Rate AttendanceRate => new(SessionsPresent, SessionsRecorded);
    }

    public sealed record PledgeResult(string Content, PledgeStatus Status, string? EvidenceNote, IReadOnlyList<string> EvidenceFiles, string? Reason);
}

public static class ReviewSheets
{
    // The roll-up's "registered" set (Reports/Rollup.cs: status NOT IN (Draft, Returned), ADR 0006).
    public static bool IsRegistered(PledgeStatus s) => PledgeSets.IsRegistered(s);

    /// <summary>
    /// The branch's members of the year: those it had on the year's as-of day, as the dashboard's member table and its
    /// grades count them (a branch merged since keeps its members of then; the walk of session 11 saw today's).
    /// </summary>
    public static Task<List<int>> BranchMembersAsync(AppDbContext db, int branchId, int year, CancellationToken ct) =>
        db.MemberBranchPeriods.AsNoTracking().Where(Membership.CoversDate(db.Clock.AsOf(year))).Where(p => p.BranchId == branchId)
            .Select(p => p.MemberId).Distinct().ToListAsync(ct);

    /// <summary>Loads the review of the given members of a branch (access already checked by the caller);
    /// <paramref name="branchMembers"/>: <see cref="BranchMembersAsync"/> when the caller has read it already.</summary>
    public static async Task<ReviewSheetModel> LoadAsync(AppDbContext db, OrgUnit branch, int year, IReadOnlyCollection<int> memberIds, CancellationToken ct, IReadOnlyCollection<int>? branchMembers = null)
    {
        var parent = await db.ParentNameOnAsync(branch, db.Clock.AsOf(year), ct);
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .OrderBy(Positions.Rank).ThenByName(m => m.FullName).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.FullName, m.CardNumber, m.Position }).ToListAsync(ct);
        var pledges = await db.Pledges.AsNoTracking().Where(p => memberIds.Contains(p.MemberId) && p.Year == year).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.MemberId, p.Content, p.Status, p.EvidenceNote, p.Reason }).ToListAsync(ct);
        var pledgeIds = pledges.Select(p => p.Id).ToList();
        var files = (await db.PledgeEvidence.AsNoTracking().Where(e => pledgeIds.Contains(e.PledgeId)).OrderBy(e => e.Id)
            .Select(e => new { e.PledgeId, e.FileName }).ToListAsync(ct)).ToLookup(e => e.PledgeId, e => e.FileName);
        // AttendanceRules, as in the roll-up and the attendance page, from their one home (SessionQueries.Expectations): a
        // member is expected at every live session of the year held, on its day, by their branch of that day or a unit above
        // it (the tree of the session's day); an excused absence is left out of the denominator, no mark counts as absent.
        // (The walk of session 12: the sheet counted only sessions the branch held itself, 0/0 where its ward held them.)
        // Read for the sheets' members and the branch's members of the year's as-of day (the summary's line), as the
        // review page lists them.
        branchMembers ??= await BranchMembersAsync(db, branch.Id, year, ct);
        var counted = memberIds.Union(branchMembers).ToList();
        var expected = await SessionQueries.Expectations(db, db.StudySessions.AsNoTracking().Where(s => s.Year == year))
            .Where(e => counted.Contains(e.MemberId))
            .Select(e => new { e.MemberId, e.Mark })
            .ToListAsync(ct);
        // Each expectation counted by AttendanceRules (no mark: absent; excused: out of the denominator).
        var attendance = expected.GroupBy(e => e.MemberId).ToDictionary(g => g.Key, g => g.Aggregate(default(AttendanceRules.Tally), (t, e) => t + AttendanceRules.One(e.Mark)));
        var commendations = (await db.Commendations.AsNoTracking().Where(c => c.RecipientMemberId != null && memberIds.Contains(c.RecipientMemberId.Value) && c.Year == year)
            .OrderBy(c => c.Id).Select(c => new { c.RecipientMemberId, c.Level, c.IssuingBody, c.DecisionNumber, c.DecisionDate, c.Reason }).ToListAsync(ct))
            .ToLookup(c => c.RecipientMemberId!.Value, c => $"{c.Level.Label()} – {c.IssuingBody}{(c.DecisionNumber is null ? "" : $", quyết định số {c.DecisionNumber}")}{(c.DecisionDate is null ? "" : $" ngày {Vn.Date(c.DecisionDate)}")}{(c.Reason is null ? "" : $": {c.Reason}")}");
        var grades = await db.MemberGrades.AsNoTracking().Where(g => memberIds.Contains(g.MemberId) && g.Year == year)
            .Select(g => new { g.MemberId, g.Level, g.Note }).ToDictionaryAsync(g => g.MemberId, ct);
        // Drafts and returned pledges were never registered: the sheet shows what the branch counts.
        var byMember = pledges.Where(p => IsRegistered(p.Status)).ToLookup(p => p.MemberId);

        var rollup = await Rollup.ComputeAsync(db, branch.Id, year, ct);
        var branchGrades = rollup.Totals.Grades();
        return new ReviewSheetModel(parent, branch.Name, year, members.Select(m => new ReviewSheetModel.MemberReview(
            m.Id, m.FullName, m.CardNumber, m.Position,
            byMember[m.Id].Select(p => new ReviewSheetModel.PledgeResult(p.Content, p.Status, p.EvidenceNote, files[p.Id].ToList(), p.Reason)).ToList(),
            attendance.GetValueOrDefault(m.Id).Present, attendance.GetValueOrDefault(m.Id).Denominator,
            commendations[m.Id].ToList(),
            grades.TryGetValue(m.Id, out var g) ? g.Level : null, g?.Note)).ToList(), rollup.Totals, branchGrades,
            new Rate(branchMembers.Sum(id => attendance.GetValueOrDefault(id).Present), branchMembers.Sum(id => attendance.GetValueOrDefault(id).Denominator)));
    }

    /// <param name="withSummary">The branch's summary after the members' sheets (false: a viewer outside the branch's subtree).</param>
    public static byte[] Render(ReviewSheetModel m, bool withSummary = true) => SheetParts.Render($"Phiếu tổng hợp kiểm điểm năm {m.Year} – {m.Branch}", c =>
    {
        var first = true;
        foreach (var member in m.Members)
        {
            c.OnNewPage = null;
            if (!first) c.NewSheet();
            first = false;
            // A sheet's next pages name whose they are (the attack walk of session 13: a page of pledges with only its number).
            c.OnNewPage = () =>
            {
                c.Line($"Phiếu tổng hợp năm {m.Year} của đảng viên {member.FullName} (tiếp)", SheetParts.SmallItalic, Align.Left, c.Left, c.Width);
                c.Y += Canvas.LineHeight(SheetParts.SmallItalic) + 4;
            };
            Member(c, m, member);
        }
        c.OnNewPage = null;
        // The summary on a page of its own, headed like the members' sheets (the walk of session 12: an unnamed last page).
        if (!withSummary) return;
        if (m.Members.Count > 0) c.NewSheet();
        SheetParts.Header(c, m.ParentBody, m.Branch, $"Năm {m.Year}");
        BranchSummary(c, m);
    });

    private static void Member(Canvas c, ReviewSheetModel m, ReviewSheetModel.MemberReview r)
    {
        SheetParts.Header(c, m.ParentBody, m.Branch, $"Năm {m.Year}");
        SheetParts.Title(c, "PHIẾU TỔNG HỢP", $"phục vụ kiểm điểm, đánh giá, xếp loại đảng viên năm {m.Year}");
        Para(c, $"Họ và tên: {r.FullName}", SheetParts.TextBold);
        if (r.CardNumber is not null) Para(c, $"Số thẻ đảng viên: {r.CardNumber}", SheetParts.Text);
        if (r.Position is not null) Para(c, $"Chức vụ: {r.Position}", SheetParts.Text);
        c.Y += 4;

        Para(c, $"1. Việc làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh: đăng ký {Vn.Number(r.Registered)}, hoàn thành {Vn.Number(r.Done)} ({r.PledgeRate}).", SheetParts.TextBold);
        if (r.Pledges.Count == 0) Para(c, "Không đăng ký việc làm theo trong năm.", SheetParts.SmallItalic, 6);
        var k = 0;
        foreach (var p in r.Pledges)
        {
            k++;
            Para(c, $"{k}. {p.Content} – Kết quả: {p.Status.Label()}", SheetParts.Small, 6);
            if (p.EvidenceNote is not null) Para(c, $"Minh chứng, kết quả báo cáo: {p.EvidenceNote}", SheetParts.Small, 12);
            if (p.EvidenceFiles.Count > 0) Para(c, $"Tệp minh chứng: {string.Join("; ", p.EvidenceFiles)}", SheetParts.Small, 12);
            if (p.Reason is not null && p.Status is PledgeStatus.NotDone or PledgeStatus.Returned) Para(c, $"Lý do: {p.Reason}", SheetParts.Small, 12);
        }
        c.Y += 4;
        Para(c, $"2. Học tập chuyên đề: có mặt {Vn.Number(r.SessionsPresent)}/{Vn.Number(r.SessionsRecorded)} buổi phải dự (trừ vắng có lý do) ({r.AttendanceRate}).", SheetParts.TextBold);
        c.Y += 4;
        Para(c, "3. Khen thưởng trong năm:", SheetParts.TextBold);
        if (r.Commendations.Count == 0) Para(c, "Không có.", SheetParts.SmallItalic, 6);
        foreach (var line in r.Commendations) Para(c, "– " + line, SheetParts.Small, 6);
        c.Y += 4;
        Para(c, "4. Chi bộ đánh giá, xếp loại:", SheetParts.TextBold);
        foreach (var level in Enum.GetValues<GradeLevel>())
        {
            c.Ensure(16);
            var x = c.Left + Typography.Mm(6);
            SheetParts.Box(c, x, c.Y + 2);
            if (r.Grade == level) c.Line("X", SheetParts.SmallBold, Align.Center, x, 9, c.Y + 1);
            c.Line(level.Label(), SheetParts.Small, Align.Left, x + 14, c.Width - 30);
            c.Y += Canvas.LineHeight(SheetParts.Small) + 3;
        }
        if (r.GradeNote is not null) Para(c, $"Ghi chú: {r.GradeNote}", SheetParts.Small, 6);
        c.Ensure(Typography.Mm(28));
        c.Y += Typography.Mm(4);
        var half = c.Width / 2;
        c.Line("ĐẢNG VIÊN", Typography.Bold(12), Align.Center, c.Left, half);
        c.Line("T/M CHI BỘ", Typography.Bold(12), Align.Center, c.Left + half, half);
        c.Y += Canvas.LineHeight(Typography.Bold(12));
        c.Line("BÍ THƯ", Typography.Bold(12), Align.Center, c.Left + half, half);
        c.Y += Typography.Mm(20);
    }

    private static void BranchSummary(Canvas c, ReviewSheetModel m)
    {
        var f = m.BranchFigures;
        c.Ensure(Typography.Mm(80));
        c.Y += Typography.Mm(4);
        c.Line($"TÓM TẮT CỦA CHI BỘ NĂM {m.Year}", Typography.Subject, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Subject) + 4;
        Para(c, $"Đảng viên: {Vn.Number(f.Members)}; có kế hoạch cá nhân: {f.PlanRate.WithFraction()}.", SheetParts.Text);
        Para(c, $"Việc làm theo hoàn thành: {f.PledgeRate.WithFraction()}.", SheetParts.Text);
        Para(c, $"Đảng viên tham dự học tập chuyên đề: {m.MembersAttendance.WithFraction()}.", SheetParts.Text);
        Para(c, $"Khen thưởng: {Vn.Number(f.Commendations)}.", SheetParts.Text);
        var graded = m.BranchGrades.Values.Sum();
        Para(c, $"Xếp loại đảng viên (đã ghi nhận {Vn.Number(graded)}):", SheetParts.Text);
        foreach (var level in Enum.GetValues<GradeLevel>())
            Para(c, $"– {level.Label()}: {Vn.Number(m.BranchGrades.GetValueOrDefault(level))} ({new Rate(m.BranchGrades.GetValueOrDefault(level), graded)})", SheetParts.Small, 6);
    }

    private static void Para(Canvas c, string text, PdfSharp.Drawing.XFont font, double indentMm = 0)
    {
        var x = c.Left + Typography.Mm(indentMm);
        c.Paragraph(text, font, Align.Left, 0, x, c.Width - Typography.Mm(indentMm));
    }
}

/// <summary>
/// Members' grades counted over a unit's subtree for a year, as the roll-up counts them (one more figure of each unit,
/// <see cref="Figures.Grades"/>: the tree of the as-of day, a gone branch's grades in its successor). The dashboard and the
/// review sheet take them from the roll-up they read anyway; this reads a roll-up for them alone.
/// </summary>
public static class GradeCounts
{
    public static async Task<IReadOnlyDictionary<GradeLevel, int>> ForUnitAsync(AppDbContext db, int unitId, int year, DateOnly asOf, CancellationToken ct) =>
        (await Rollup.ComputeAsync(db, unitId, year, asOf, ct)).Totals.Grades();
}
