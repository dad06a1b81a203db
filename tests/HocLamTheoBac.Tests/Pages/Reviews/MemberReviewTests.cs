using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Reviews;

/// <summary>The member's year-end review sheet and the grades a branch records (issue 18).</summary>
public sealed class MemberReviewTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Y = 2029;
    private const string Branch = "TQ-TP-PT-TDP2";

    private async Task<(int Unit, List<(int Id, string Name, string Card)> Members)> SeedAsync()
    {
        var unit = await app.OrgIdAsync(Branch);
        var members = await app.MembersAsync(Branch);
        var seeded = await app.DbAsync(db => db.Pledges.AnyAsync(p => p.BranchId == unit && p.Year == Y));
        if (seeded) return (unit, members);
        var (a, b, c) = (members[2].Id, members[3].Id, members[4].Id);
        var done = await app.AddPledgeAsync(a, PledgeStatus.Done, "Vận động 8 hộ phân loại rác tại nguồn", Y);
        await app.AddPledgeAsync(a, PledgeStatus.NotDone, "Mở lớp tin học 3 buổi cho người cao tuổi", Y);
        await app.AddPledgeAsync(a, PledgeStatus.InProgress, "Trồng 20 cây xanh ven đường tổ 5", Y);
        await app.AddPledgeAsync(a, PledgeStatus.Draft, "Bản nháp không tính", Y);
        await app.AddPledgeAsync(b, PledgeStatus.Done, "Hướng dẫn 10 người nộp hồ sơ trực tuyến", Y);
        await app.AddPledgeAsync(b, PledgeStatus.Returned, "Bị trả lại không tính", Y);
        await app.AddPledgeAsync(c, PledgeStatus.Approved, "Quyên góp 2 đợt cho quỹ khuyến học", Y);
        await app.DbAsync(async db =>
        {
            await db.Pledges.Where(p => p.Id == done).ExecuteUpdateAsync(s => s.SetProperty(p => p.EvidenceNote, "Biên bản tổ dân phố tháng 6"));
            var s1 = new StudySession { OrgUnitId = unit, Year = Y, HeldOn = new DateOnly(Y, 4, 10), Theme = "Chuyên đề năm", Format = SessionFormat.InPerson };
            var s2 = new StudySession { OrgUnitId = unit, Year = Y, HeldOn = new DateOnly(Y, 9, 10), Theme = "Chuyên đề bổ sung", Format = SessionFormat.InPerson };
            db.StudySessions.AddRange(s1, s2);
            await db.SaveChangesAsync();
            db.Attendances.AddRange(members.Select((m, i) => new Attendance { SessionId = s1.Id, MemberId = m.Id, Status = i % 4 == 0 ? AttendanceStatus.Absent : AttendanceStatus.Present }));
            db.Attendances.AddRange(members.Take(5).Select((m, i) => new Attendance { SessionId = s2.Id, MemberId = m.Id, Status = i == 2 ? AttendanceStatus.Excused : AttendanceStatus.Present }));
            db.Commendations.Add(new Commendation { OrgUnitId = unit, Year = Y, Level = CommendationLevel.Certificate, RecipientMemberId = a, IssuingBody = "Đảng ủy phường Phan Thiết", DecisionNumber = "45-QĐ/ĐU" });
            await db.SaveChangesAsync();
        });
        return (unit, members);
    }

    [Fact]
    public async Task The_review_sheets_figures_add_up_to_the_rollup_of_the_branch_and_the_printed_sheet_shows_them()
    {
        var (unit, members) = await SeedAsync();
        var rollup = await app.DbAsync(db => Rollup.ComputeAsync(db, unit, Y, CancellationToken.None));
        var review = await app.DbAsync(async db => await ReviewSheets.LoadAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == unit), Y, members.Select(m => m.Id).ToList(), CancellationToken.None));
        var f = rollup.Totals;
        Assert.Equal(members.Count, review.Members.Count);
        Assert.Equal(f.PledgesRegistered, review.Members.Sum(m => m.Registered));
        Assert.Equal(f.PledgesDone, review.Members.Sum(m => m.Done));
        Assert.Equal(f.MembersWithPlan, review.Members.Count(m => m.Registered > 0));
        Assert.Equal(f.AttendancePresent, review.Members.Sum(m => m.SessionsPresent));
        Assert.Equal(f.AttendanceRecorded, review.Members.Sum(m => m.SessionsRecorded));
        Assert.Equal(f.Commendations, review.Members.Sum(m => m.Commendations.Count));
        Assert.Equal((5, 2, 1), (f.PledgesRegistered, f.PledgesDone, f.Commendations));

        var a = members[2];
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.GetAsync($"/Reviews/Sheet/{a.Id}/{Y}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var pdf = await r.Content.ReadAsByteArrayAsync();
        await PdfText.RenderPngAsync(pdf, 1, "review-sheet");
        var text = System.Text.RegularExpressions.Regex.Replace(await PdfText.ExtractAsync(pdf), @"\s+", " ");
        var mine = review.Members.Single(m => m.MemberId == a.Id);
        Assert.Contains("PHIẾU TỔNG HỢP", text);
        Assert.Contains(a.Name, text);
        Assert.Contains("đăng ký 3, hoàn thành 1 (33,3 %)", text);
        Assert.Contains($"có mặt {mine.SessionsPresent}/{mine.SessionsRecorded} buổi", text);
        Assert.Contains("Biên bản tổ dân phố tháng 6", text);
        Assert.Contains("Giấy khen – Đảng ủy phường Phan Thiết, quyết định số 45-QĐ/ĐU", text);
        Assert.DoesNotContain("Bản nháp không tính", text);
        Assert.Contains($"Việc làm theo hoàn thành: {f.PledgeRate.WithFraction().Replace('\u00A0', ' ')}", text);
        Assert.Contains($"Đảng viên tham dự học tập chuyên đề: {review.MembersAttendance.WithFraction().Replace('\u00A0', ' ')}", text);
    }

    [Fact]
    public async Task The_secretary_records_grades_that_are_audited_and_counted_in_the_units_figures_until_the_year_is_closed()
    {
        var (unit, members) = await SeedAsync();
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var url = $"/Reviews/Branch/{unit}/{Y}";
        var r = await client.PostFormAsync(url, new()
        {
            ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "Excellent", ["Grades[0].Note"] = "Tiêu biểu",
            ["Grades[1].MemberId"] = members[3].Id.ToString(), ["Grades[1].Level"] = "Good",
            ["Grades[2].MemberId"] = members[4].Id.ToString(), ["Grades[2].Level"] = "Good",
            ["Grades[3].MemberId"] = members[5].Id.ToString(), ["Grades[3].Level"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        // The same member twice in one post is refused in words, not a unique-key 500.
        var twice = await client.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "Good", ["Grades[1].MemberId"] = members[2].Id.ToString(), ["Grades[1].Level"] = "Completed" });
        Assert.Contains("Mỗi đảng viên chỉ ghi một mức xếp loại", WebUtility.HtmlDecode(await twice.Content.ReadAsStringAsync()));
        var grades = await app.DbAsync(db => db.MemberGrades.Where(g => g.Year == Y).OrderBy(g => g.MemberId).Select(g => new { g.MemberId, g.Level, g.Id }).ToListAsync());
        Assert.Equal(3, grades.Count);
        Assert.Single(await app.AuditAsync("MemberGrade", grades[0].Id));

        // A change is audited too; the unit's dashboard counts what branches recorded (and equals a plain SQL count).
        r = await client.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[4].Id.ToString(), ["Grades[0].Level"] = "Completed" });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(2, (await app.AuditAsync("MemberGrade", grades[2].Id)).Count);
        // Removing a grade ("Chưa xếp loại") keeps in the audit what was removed: the level and the note, not only the
        // deletion's date (the attack walk of session 14). The grade is put back for the counts below.
        r = await client.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var removed = (await app.AuditAsync("MemberGrade", grades[0].Id)).Last();
        Assert.Equal("Xóa", removed.Action);
        Assert.Contains("\"Level\": \"Excellent\"", removed.Before);
        Assert.Contains("Tiêu biểu", System.Text.RegularExpressions.Regex.Unescape(removed.Before!));
        Assert.Contains("\"DeletedAt\": \"", removed.After); // and when: the after holds the deletion's time (attack walk, session 15)
        r = await client.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "Excellent", ["Grades[0].Note"] = "Tiêu biểu" });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var staff = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var html = await staff.HtmlAsync($"/Reports/{await app.OrgIdAsync("TQ-TP")}/{Y}");
        Assert.Contains("data-grade-count=\"Excellent\">1 ", html);
        Assert.Contains("data-grade-count=\"Good\">1 ", html);
        Assert.Contains("data-grade-count=\"Completed\">1 ", html);
        Assert.Contains("data-grade-count=\"NotCompleted\">0 ", html);
        var tq = await app.OrgIdAsync("TQ");
        var counted = await app.DbAsync(db => GradeCounts.ForUnitAsync(db, tq, Y, db.Clock.AsOf(Y), CancellationToken.None));
        await using (var conn = new NpgsqlConnection(app.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM member_grades g JOIN org_units u ON u.id = g.branch_id WHERE u.path <@ (SELECT path FROM org_units WHERE code = 'TQ') AND g.year = @y AND g.deleted_at IS NULL", conn);
            cmd.Parameters.AddWithValue("y", Y);
            Assert.Equal((long)counted.Values.Sum(), (long)(await cmd.ExecuteScalarAsync())!);
        }
        // Staff read the page but do not grade.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "NotCompleted" })).StatusCode);

        // The province closes the year: grades are read only.
        await app.DbAsync(async db =>
        {
            db.PlanYears.Add(new PlanYear { OrgUnitId = tq, Year = Y, Theme = "Chuyên đề năm", ClosedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        r = await client.PostFormAsync(url, new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "NotCompleted" });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("khóa sổ", await r.Content.ReadAsStringAsync());
        Assert.Equal(GradeLevel.Excellent, await app.DbAsync(db => db.MemberGrades.Where(g => g.MemberId == members[2].Id && g.Year == Y).Select(g => g.Level).SingleAsync()));
    }

    [Fact]
    public async Task A_foreign_branch_answers_404_and_a_member_prints_only_their_own_sheet()
    {
        var (unit, members) = await SeedAsync();
        var neighbour = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/Reviews/Branch/{unit}/{Y}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/Reviews/Branch/{unit}/{Y}?handler=Pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/Reviews/Sheet/{members[2].Id}/{Y}")).StatusCode);
        var own = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var r = await neighbour.PostFormAsync($"/Reviews/Branch/{unit}/{Y}", new() { ["Grades[0].MemberId"] = members[2].Id.ToString(), ["Grades[0].Level"] = "NotCompleted" }, $"/Reviews/Branch/{own}/{Y}");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);

        var member = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/Reviews/Sheet/{await app.DemoMemberIdAsync()}/{Y}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/Reviews/Sheet/{members[2].Id}/{Y}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/Reviews/Branch/{own}/{Y}")).StatusCode);

        var branchPdf = await (await app.SignedInAsync("bithu2@hlb.local")).GetByteArrayAsync($"/Reviews/Branch/{unit}/{Y}?handler=Pdf");
        var text = await PdfText.ExtractAsync(branchPdf);
        Assert.All(members, m => Assert.Contains(m.Name, text));
        Assert.Contains("TÓM TẮT CỦA CHI BỘ", text);
    }

    /// <summary>The attack walk of session 14: a stale form's "Chưa xếp loại" deleted a colleague's grade without a word, and
    /// saves sent at the same instant answered 500 (a unique key).</summary>
    [Fact]
    public async Task A_grade_recorded_elsewhere_is_kept_and_said_and_saves_at_one_instant_give_no_error()
    {
        const int year = 2028;
        var unit = await app.OrgIdAsync(Branch);
        var members = await app.MembersAsync(Branch);
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var url = $"/Reviews/Branch/{unit}/{year}";
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url));
        string Seen(int member) => page.QuerySelector($"tr[data-member='{member}'] input[name$='.Seen']")!.GetAttribute("value")!;
        var (m, n) = (members[6], members[7]);
        Assert.Equal("0", Seen(m.Id));
        Dictionary<string, string> Form(int member, string level, string seen) => new() { ["Grades[0].MemberId"] = member.ToString(), ["Grades[0].Level"] = level, ["Grades[0].Seen"] = seen };

        // Tab B grades; tab A, opened before, saves "Chưa xếp loại": B's grade stays, A is told whose and what.
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, Form(m.Id, "Excellent", Seen(m.Id)))).StatusCode);
        var stale = await client.PostFormAsync(url, Form(m.Id, "", Seen(m.Id)));
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        var told = WebUtility.HtmlDecode(await client.HtmlAsync(stale.Headers.Location!.OriginalString));
        Assert.Contains($"{m.Name}: vừa được ghi ở nơi khác là “{GradeLevel.Excellent.Label()}”, bạn chọn “Chưa xếp loại”", told);
        Assert.Equal(GradeLevel.Excellent, await app.DbAsync(db => db.MemberGrades.Where(g => g.MemberId == m.Id && g.Year == year).Select(g => (GradeLevel?)g.Level).SingleOrDefaultAsync()));
        // The page opened now carries the grade's version, and saving from it goes through.
        page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url));
        Assert.NotEqual("0", Seen(m.Id));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, Form(m.Id, "", Seen(m.Id)))).StatusCode);
        Assert.False(await app.DbAsync(db => db.MemberGrades.AnyAsync(g => g.MemberId == m.Id && g.Year == year)));

        // Six saves of one new grade at the same instant: no error page, one grade.
        var saves = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostFormAsync(url, Form(n.Id, "Good", "0"))));
        Assert.All(saves, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1, await app.DbAsync(db => db.MemberGrades.CountAsync(g => g.MemberId == n.Id && g.Year == year)));
    }
}
