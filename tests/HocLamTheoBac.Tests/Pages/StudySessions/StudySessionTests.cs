using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.StudySessions;

public sealed class StudySessionTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>The walk of session 16: a session dated next year was saved and marked 100 % present, giving that year a dashboard.</summary>
    [Fact]
    public async Task A_session_of_a_year_not_begun_is_refused_and_one_later_this_year_cannot_be_marked_before_it_is_held()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var next = await client.PostFormAsync($"/StudySessions/Edit?unitId={tdp2}", new() { ["Input.HeldOn"] = "2027-03-01", ["Input.Theme"] = "Chuyên đề năm sau", ["Input.Format"] = "1" });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains("Ngày học tập 01/03/2027 thuộc năm 2027 chưa bắt đầu", System.Net.WebUtility.HtmlDecode(await next.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.StudySessions.AnyAsync(s => s.Theme == "Chuyên đề năm sau")));

        var later = TestClock.Today.AddDays(10);
        var planned = await client.PostFormAsync($"/StudySessions/Edit?unitId={tdp2}", new() { ["Input.HeldOn"] = later.ToString("yyyy-MM-dd"), ["Input.Theme"] = "Chuyên đề sắp học", ["Input.Format"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, planned.StatusCode);
        var id = await app.DbAsync(db => db.StudySessions.Where(s => s.Theme == "Chuyên đề sắp học").Select(s => s.Id).SingleAsync());
        var member = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp2).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync());
        var marked = await client.PostFormAsync($"/StudySessions/Attendance/{id}", new() { ["Input[0].MemberId"] = member.ToString(), ["Input[0].Status"] = "1" });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.Contains($"Buổi học tập ngày {later:dd/MM/yyyy} chưa diễn ra: chưa điểm danh được.", System.Net.WebUtility.HtmlDecode(await marked.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Attendances.AnyAsync(a => a.SessionId == id)));
    }

    [Fact]
    public async Task A_ward_dissolved_in_2025_is_in_the_unit_picker_of_2025_with_its_closing_day_and_leads_to_its_sessions_but_not_in_2026()
    {
        var wardId = await app.DbAsync(async db =>
        {
            var city = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP");
            var ward = await db.AddUnitAsync(city, await db.OrgUnits.Where(u => u.Code == "TQ-TP-MX").Select(u => u.KindId).SingleAsync(), "TQ-TP-GT", "Đảng ủy phường Giải Thể", new DateOnly(2024, 1, 1), CancellationToken.None);
            await db.SaveChangesAsync();
            db.StudySessions.Add(new StudySession { OrgUnitId = ward.Id, Year = 2025, HeldOn = new DateOnly(2025, 3, 10), Theme = "Chuyên đề của phường đã giải thể" });
            await db.SaveChangesAsync();
            await db.CloseAsync(ward, new DateOnly(2025, 7, 1), CancellationToken.None);
            await db.SaveChangesAsync();
            return ward.Id;
        });
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");

        var html = await client.HtmlAsync("/StudySessions?year=2025");
        Assert.Contains($"<option value=\"{wardId}\">", html);
        Assert.Contains("Đảng ủy phường Giải Thể (đã giải thể/hợp nhất 01/07/2025)", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("Chuyên đề của phường đã giải thể", await client.HtmlAsync($"/StudySessions?unitId={wardId}&year=2025"));
        Assert.DoesNotContain($"<option value=\"{wardId}\"", await client.HtmlAsync("/StudySessions?year=2026"));
        Assert.DoesNotContain($"<option value=\"{wardId}\"", await client.HtmlAsync("/Models?year=2026"));
        Assert.Contains($"<option value=\"{wardId}\">", await client.HtmlAsync("/Models?year=2025"));
    }

    [Fact]
    public async Task Attendance_rates_exclude_excused_absences_and_count_a_member_who_joined_mid_year_only_after_she_joined()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var newcomer = await app.DbAsync(async db =>
        {
            var m = new Member { FullName = "Nông Thị Mới", BranchId = tdp1, AdmittedOn = new DateOnly(2025, 7, 1) };
            db.Members.Add(m);
            await db.SaveChangesAsync();
            db.MemberBranchPeriods.Add(new MemberBranchPeriod { MemberId = m.Id, BranchId = tdp1, ValidFrom = new DateOnly(2025, 7, 1) });
            await db.SaveChangesAsync();
            return m.Id;
        });
        var client = await app.SignedInAsync("bithu@hlb.local");

        var created = await client.PostFormAsync($"/StudySessions/Edit?unitId={tdp1}", new() { ["Input.HeldOn"] = "2025-03-10", ["Input.Theme"] = "Chuyên đề năm 2025", ["Input.Format"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        await client.PostFormAsync($"/StudySessions/Edit?unitId={tdp1}", new() { ["Input.HeldOn"] = "2025-09-10", ["Input.Theme"] = "Sơ kết chuyên đề", ["Input.Format"] = "2" });
        var (march, september) = await app.DbAsync(async db =>
        {
            var ids = await db.StudySessions.Where(s => s.OrgUnitId == tdp1).OrderBy(s => s.HeldOn).Select(s => s.Id).ToListAsync();
            return (ids[0], ids[1]);
        });

        // March: the newcomer is not on the list; 24 expected, 20 present, 2 excused, 2 absent → 20 / 22.
        var form = await client.HtmlAsync($"/StudySessions/Attendance/{march}");
        Assert.DoesNotContain("Nông Thị Mới", form);
        var members = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp1 && m.Id != newcomer).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync());
        Assert.Equal(24, members.Count);
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < members.Count; i++)
        {
            fields[$"Input[{i}].MemberId"] = members[i].ToString();
            fields[$"Input[{i}].Status"] = i < 20 ? "1" : i < 22 ? "2" : "3";
        }
        var saved = await client.PostFormAsync($"/StudySessions/Attendance/{march}", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // September: the newcomer is expected; everyone present but her → 24 / 25.
        var september_form = await client.HtmlAsync($"/StudySessions/Attendance/{september}");
        Assert.Contains("Nông Thị Mới", september_form);
        var fields2 = new Dictionary<string, string>();
        var all = members.Append(newcomer).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            fields2[$"Input[{i}].MemberId"] = all[i].ToString();
            fields2[$"Input[{i}].Status"] = all[i] == newcomer ? "3" : "1";
        }
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/StudySessions/Attendance/{september}", fields2)).StatusCode);

        var html = await client.HtmlAsync($"/StudySessions?unitId={tdp1}&year=2025");
        Assert.Contains("90,9 %", html);
        Assert.Contains("96,0 %", html);
        Assert.Contains("Tỷ lệ tham dự cả năm: <strong>93,6 %</strong>", html);
        Assert.Equal(2, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == nameof(Attendance) && a.Actor == "bithu@hlb.local")));

        // A post of one member's mark keeps the others', and the message counts them all (it once counted the members
        // left out of the post as absent: "0 có mặt … 0,0 %").
        var one = await client.PostFormAsync($"/StudySessions/Attendance/{march}", new() { ["Input[0].MemberId"] = members[0].ToString(), ["Input[0].Status"] = "2" });
        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Contains("Đã lưu điểm danh: 19 có mặt, 3 vắng có lý do, 2 vắng không lý do", System.Net.WebUtility.HtmlDecode(await client.HtmlAsync(one.Headers.Location!.OriginalString)));
    }

    [Fact]
    public async Task A_closed_year_s_attendance_is_shown_read_only_and_a_posted_mark_is_refused_in_words()
    {
        // Found by the walk of session 10: the page of a closed year offered the radio buttons and refused only on save.
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var (session, member, name) = await app.DbAsync(async db =>
        {
            var s = new StudySession { OrgUnitId = tdp2, Year = 2023, HeldOn = new DateOnly(2023, 5, 2), Theme = "Chuyên đề năm 2023", Format = SessionFormat.InPerson };
            db.StudySessions.Add(s);
            await db.SaveChangesAsync();
            var m = await db.MemberBranchPeriods.Where(p => p.BranchId == tdp2 && p.ValidFrom <= s.HeldOn && (p.ValidTo == null || p.ValidTo > s.HeldOn))
                .OrderBy(p => p.MemberId).Select(p => p.MemberId).FirstAsync();
            db.Attendances.Add(new Attendance { SessionId = s.Id, MemberId = m, Status = AttendanceStatus.Excused });
            db.PlanYears.Add(new PlanYear { OrgUnitId = tdp2, Year = 2023, Theme = "Chuyên đề năm 2023", ClosedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return (s.Id, m, await db.Members.Where(x => x.Id == m).Select(x => x.FullName).SingleAsync());
        });
        var client = await app.SignedInAsync("bithu2@hlb.local");

        var html = System.Net.WebUtility.HtmlDecode(await client.HtmlAsync($"/StudySessions/Attendance/{session}"));
        Assert.Contains("Năm 2023 đã khóa sổ: điểm danh chỉ được xem.", html);
        Assert.DoesNotContain("type=\"radio\"", html);
        Assert.DoesNotContain("Lưu điểm danh", html);
        Assert.Matches($"<td>{System.Text.RegularExpressions.Regex.Escape(name)}</td><td>[^<]+</td><td>Vắng có lý do</td>", html);
        Assert.DoesNotContain("Tỷ lệ hiện tại", html);
        // The closed year's list offers no "add" that the form would refuse (walk of session 12); an open year's does.
        var closedList = await client.HtmlAsync($"/StudySessions?unitId={tdp2}&year=2023");
        Assert.DoesNotContain("Thêm buổi học tập", closedList);
        // …and says why before anyone looks for it (the walk of session 17: no banner, only no button).
        Assert.Contains(YearClosure.ReadOnlyBanner(2023, "buổi học tập chuyên đề và điểm danh"), System.Net.WebUtility.HtmlDecode(closedList));
        Assert.DoesNotContain("đã khóa sổ", System.Net.WebUtility.HtmlDecode(await client.HtmlAsync($"/StudySessions?unitId={tdp2}&year=2026")));
        // …but each line still leads to its marks, read only (the walk of session 14: no link at all).
        Assert.Contains($"<a class=\"tap-target\" href=\"/StudySessions/Attendance/{session}\">Xem điểm danh</a>", closedList);
        Assert.DoesNotContain($"/StudySessions/Edit/{session}", closedList);
        Assert.Contains("Thêm buổi học tập", await client.HtmlAsync($"/StudySessions?unitId={tdp2}&year=2026"));
        // The session's own form, opened by its address, says it too and offers no "Lưu" or "Xóa" (the walk of session 19).
        var form = System.Net.WebUtility.HtmlDecode(await client.HtmlAsync($"/StudySessions/Edit/{session}"));
        Assert.Contains(YearClosure.ReadOnlyBanner(2023, "buổi học tập chuyên đề"), form);
        Assert.Contains("02/05/2023", form);
        Assert.DoesNotContain(">Lưu<", form);
        Assert.DoesNotContain(">Xóa<", form);
        Assert.DoesNotContain("name=\"Input.Theme\"", form);
        Assert.DoesNotContain("Năm 2023 đã khóa sổ", System.Net.WebUtility.HtmlDecode(await client.HtmlAsync($"/StudySessions/Edit?unitId={tdp2}&year=2026")));
        Assert.Contains("name=\"Input.Theme\"", await client.HtmlAsync($"/StudySessions/Edit?unitId={tdp2}&year=2026"));

        var posted = await client.PostFormAsync($"/StudySessions/Attendance/{session}", new() { ["Input[0].MemberId"] = member.ToString(), ["Input[0].Status"] = "1" });
        var answer = System.Net.WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains(YearClosure.Message(2023), answer);
        Assert.DoesNotContain("type=\"radio\"", answer);
        Assert.Equal(AttendanceStatus.Excused, await app.DbAsync(db => db.Attendances.Where(a => a.SessionId == session && a.MemberId == member).Select(a => a.Status).SingleAsync()));

        // A post that changes nothing (an empty one, or the stored mark again) is refused too, not answered "saved" (attack walk).
        foreach (var fields in new Dictionary<string, string>[] { new(), new() { ["Input[0].MemberId"] = member.ToString(), ["Input[0].Status"] = "2" } })
        {
            var again = await client.PostFormAsync($"/StudySessions/Attendance/{session}", fields);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains(YearClosure.Message(2023), System.Net.WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()));
        }
    }

    [Fact]
    public async Task A_mark_for_a_member_of_another_branch_is_refused_and_nothing_is_saved()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var session = await app.DbAsync(async db =>
        {
            var s = new StudySession { OrgUnitId = tdp2, Year = 2025, HeldOn = new DateOnly(2025, 4, 1), Theme = "Chuyên đề TDP2", Format = SessionFormat.InPerson };
            db.StudySessions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
        var outsider = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp1).Select(m => m.Id).FirstAsync());
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.PostFormAsync($"/StudySessions/Attendance/{session}", new() { ["Input[0].MemberId"] = outsider.ToString(), ["Input[0].Status"] = "1" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Có dòng điểm danh không hợp lệ", await r.Content.ReadAsStringAsync());
        Assert.False(await app.DbAsync(db => db.Attendances.AnyAsync(a => a.SessionId == session)));

        var other = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/StudySessions/Attendance/{session}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/StudySessions?unitId={tdp2}")).StatusCode);
    }

    /// <summary>The attack walk of session 14: a stale full form put a member marked excused elsewhere back to present
    /// without a word, and saves at one instant answered 500 (the marks' key).</summary>
    [Fact]
    public async Task A_mark_saved_elsewhere_is_kept_and_said_and_saves_at_one_instant_give_no_error()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var session = await app.DbAsync(async db =>
        {
            var s = new StudySession { OrgUnitId = tdp2, Year = 2026, HeldOn = new DateOnly(2026, 3, 2), Theme = "Chuyên đề hai thẻ", Format = SessionFormat.InPerson };
            db.StudySessions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var url = $"/StudySessions/Attendance/{session}";
        Dictionary<string, string> FullForm(AngleSharp.Dom.IDocument page, Func<int, string> status)
        {
            var fields = new Dictionary<string, string>();
            foreach (var box in page.QuerySelectorAll("input[name$='.MemberId']"))
            {
                var name = box.GetAttribute("name")!;
                var prefix = name[..name.LastIndexOf('.')];
                var id = int.Parse(box.GetAttribute("value")!);
                fields[name] = id.ToString();
                fields[prefix + ".Status"] = status(id);
                fields[prefix + ".Seen"] = page.QuerySelector($"input[name='{prefix}.Seen']")!.GetAttribute("value")!;
            }
            return fields;
        }
        // Six full forms saved at one instant: no error page.
        var first = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url));
        var saves = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostFormAsync(url, FullForm(first, _ => "1"))));
        Assert.All(saves, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));

        // Tab A and tab B open the form; B marks one member excused; A, stale, saves everyone present.
        var (tabA, tabB) = (new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url)), new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url)));
        var member = int.Parse(tabB.QuerySelector("input[name$='.MemberId']")!.GetAttribute("value")!);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, FullForm(tabB, id => id == member ? "2" : "1"))).StatusCode);
        var stale = await client.PostFormAsync(url, FullForm(tabA, _ => "1"));
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal(AttendanceStatus.Excused, await app.DbAsync(db => db.Attendances.Where(a => a.SessionId == session && a.MemberId == member).Select(a => a.Status).SingleAsync()));
        var name = await app.DbAsync(db => db.Members.Where(m => m.Id == member).Select(m => m.FullName).SingleAsync());
        var told = System.Net.WebUtility.HtmlDecode(await client.HtmlAsync(stale.Headers.Location!.OriginalString));
        Assert.Contains($"{name}: vừa được ghi ở nơi khác là “{AttendanceStatus.Excused.Label()}”, bạn chọn “{AttendanceStatus.Present.Label()}”", told);
    }
}
