using System.Net;
using System.Net.Http.Headers;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

public sealed class PledgeLifecycleTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    private static Task<HttpResponseMessage> ActAsync(HttpClient c, int id, string action, uint version, string? note = null)
    {
        var f = new Dictionary<string, string> { ["Input.Action"] = action, ["Input.Version"] = version.ToString() };
        if (note is not null) f["Input.Note"] = note;
        return c.PostFormAsync($"/Pledges/Details/{id}?handler=Act", f, $"/Pledges/Details/{id}");
    }

    [Fact]
    public async Task A_member_reports_done_with_a_note_and_the_secretary_verifies_it_each_step_audited()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.Approved, "Vận động gia đình phân loại rác");
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var page = await member.HtmlAsync($"/Pledges/Mine?year={Y}");
        Assert.Contains("Vận động gia đình phân loại rác", page);
        Assert.Contains("Báo cáo hoàn thành", page);
        var p = await app.PledgeAsync(id);
        var r = await member.PostFormAsync($"/Pledges/Mine?year={Y}&handler=Act",
            new() { ["Input.PledgeId"] = id.ToString(), ["Input.Version"] = p.Version.ToString(), ["Input.Action"] = "ReportDone", ["Input.Note"] = "Cả nhà đã phân loại rác 3 tháng" }, $"/Pledges/Mine?year={Y}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        p = await app.PledgeAsync(id);
        Assert.Equal((PledgeStatus.ReportedDone, "Cả nhà đã phân loại rác 3 tháng"), (p.Status, p.EvidenceNote));

        var refused = await ActAsync(member, id, "Verify", p.Version);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Bạn không có quyền xác nhận hoàn thành", await refused.Content.ReadAsStringAsync());

        var secretary = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(secretary, id, "Verify", p.Version)).StatusCode);
        Assert.Equal(PledgeStatus.Done, (await app.PledgeAsync(id)).Status);
        var audit = await app.AuditAsync("Pledge", id);
        Assert.Contains(audit, a => a.Actor == "dangvien@hlb.local" && a.After!.Contains("ReportedDone") && a.Note == "Cả nhà đã phân loại rác 3 tháng");
        Assert.Contains(audit, a => a.Actor == "bithu@hlb.local" && a.After!.Contains("\"Done\""));
    }

    private static List<string> Hints(string page) =>
        [.. System.Text.RegularExpressions.Regex.Matches(page, "data-hints=\"([^\"]*)\"").Select(m => m.Groups[1].Value)];

    [Fact]
    public async Task My_pledges_shows_my_live_pledges_of_the_year_in_order_with_fresh_hints_and_nothing_to_act_on_once_the_year_is_closed()
    {
        // What the page reads in its one batch: the year's closure, the member's pledges, the hints' stamps.
        const int year = 2033;
        var me = await app.DemoMemberIdAsync();
        await app.AddPledgeAsync(me, PledgeStatus.Approved, "Mỗi tháng dọn vệ sinh ngõ xóm 2 buổi cùng tổ dân phố", year);
        var generic = await app.AddPledgeAsync(me, PledgeStatus.Draft, "Thực hiện tốt nhiệm vụ được giao", year);
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == generic).ExecuteUpdateAsync(s => s.SetProperty(p => p.Solution, (string?)null)));   // nothing checkable
        var deleted = await app.AddPledgeAsync(me, PledgeStatus.Draft, "Việc làm theo đã xóa", year);
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == deleted).ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletedAt, DateTimeOffset.UtcNow)));
        await app.AddPledgeAsync(me, PledgeStatus.Draft, "Việc làm theo của năm sau", year + 1);
        var member = await app.SignedInAsync("dangvien@hlb.local");

        var page = await member.HtmlAsync($"/Pledges/Mine?year={year}");
        Assert.True(page.IndexOf("Mỗi tháng dọn vệ sinh", StringComparison.Ordinal) is var a and >= 0
                    && page.IndexOf("Thực hiện tốt nhiệm vụ được giao", StringComparison.Ordinal) > a, "both pledges, in the order registered");
        Assert.DoesNotContain("Việc làm theo đã xóa", page);
        Assert.DoesNotContain("Việc làm theo của năm sau", page);
        Assert.Contains("Báo cáo hoàn thành", page);
        Assert.Contains("Gửi duyệt", page);
        Assert.Contains("Đăng ký việc làm theo mới", page);
        Assert.Contains(Hints(page), h => h.Contains("NothingCheckable"));
        Assert.DoesNotContain(Hints(page), h => h.Contains("SameAsOtherMember"));

        // Another member of the branch registers the same pledge: the branch's stamp changes, the next view shows the hint.
        var other = (await app.MembersAsync("TQ-TP-PT-TDP1")).First(o => o.Id != me).Id;
        await app.AddPledgeAsync(other, PledgeStatus.Draft, "Mỗi tháng dọn vệ sinh ngõ xóm 2 buổi cùng tổ dân phố", year);
        page = await member.HtmlAsync($"/Pledges/Mine?year={year}");
        Assert.Contains(Hints(page), h => h.Contains("SameAsOtherMember"));

        // The province closes the year: the page is read only.
        var tq = await app.OrgIdAsync("TQ");
        await app.DbAsync(async db =>
        {
            db.PlanYears.Add(new PlanYear { OrgUnitId = tq, Year = year, Theme = "Chuyên đề năm", ClosedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        page = await member.HtmlAsync($"/Pledges/Mine?year={year}");
        Assert.Contains(YearClosure.ReadOnlyBanner(year), page);
        Assert.Contains("Mỗi tháng dọn vệ sinh", page);
        Assert.DoesNotContain("Báo cáo hoàn thành", page);
        Assert.DoesNotContain("Gửi duyệt", page);
        Assert.DoesNotContain("Đăng ký việc làm theo mới", page);

        // A hand-made post from the current year's page for that year's pledge: refused over the pledge's own year
        // (the attack walk of session 10 saw the refusal over the current year's list), nothing changed.
        var closedOne = await app.PledgeAsync(generic);
        var refused = System.Net.WebUtility.HtmlDecode(await (await member.PostFormAsync($"/Pledges/Mine?handler=Act",
            new() { ["Input.PledgeId"] = generic.ToString(), ["Input.Version"] = closedOne.Version.ToString(), ["Input.Action"] = "Submit" }, "/Pledges/Mine")).Content.ReadAsStringAsync());
        Assert.Contains(YearClosure.PledgesReadOnly, refused);
        Assert.Contains(YearClosure.ReadOnlyBanner(year), refused);
        Assert.Contains("Thực hiện tốt nhiệm vụ được giao", refused);
        Assert.Equal(PledgeStatus.Draft, (await app.PledgeAsync(generic)).Status);
    }

    [Fact]
    public async Task A_member_submits_their_own_draft_but_cannot_approve_it_nor_touch_someone_elses()
    {
        var me = await app.DemoMemberIdAsync();
        var mine = await app.AddPledgeAsync(me, PledgeStatus.Draft);
        var others = await app.MembersAsync("TQ-TP-PT-TDP1");
        var theirs = await app.AddPledgeAsync(others.First(o => o.Id != me).Id, PledgeStatus.Draft);
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var v = (await app.PledgeAsync(mine)).Version;
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(member, mine, "Approve", v)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(member, mine, "Submit", v)).StatusCode);
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(mine)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/Pledges/Details/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(member, theirs, "Submit", 0)).StatusCode);
    }

    [Fact]
    public async Task Marking_not_done_needs_a_reason_and_keeps_it()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[12].Id, PledgeStatus.InProgress);
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var v = (await app.PledgeAsync(id)).Version;
        var r = await ActAsync(secretary, id, "MarkNotDone", v);
        Assert.Contains("Vui lòng ghi lý do.", await r.Content.ReadAsStringAsync());
        await ActAsync(secretary, id, "MarkNotDone", v, "Không tham gia buổi nào");
        var p = await app.PledgeAsync(id);
        Assert.Equal((PledgeStatus.NotDone, "Không tham gia buổi nào"), (p.Status, p.Reason));
    }

    [Fact]
    public async Task When_two_people_edit_the_same_pledge_the_second_save_is_refused_with_the_current_values()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[13].Id, PledgeStatus.Submitted, "Nội dung ban đầu");
        var v = (await app.PledgeAsync(id)).Version;
        var first = await app.SignedInAsync("bithu@hlb.local");
        var second = await app.SignedInAsync("bithu@hlb.local");
        Dictionary<string, string> Edit(string content) => new() { ["Input.Version"] = v.ToString(), ["Input.Content"] = content, ["Input.Solution"] = "", ["Input.Deadline"] = "" };
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostFormAsync($"/Pledges/Details/{id}?handler=Edit", Edit("Bản sửa thứ nhất"), $"/Pledges/Details/{id}")).StatusCode);
        var r = await second.PostFormAsync($"/Pledges/Details/{id}?handler=Edit", Edit("Bản sửa thứ hai"), $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("vừa được người khác thay đổi, thay đổi của bạn chưa được lưu", html);
        Assert.Contains("Nội dung: “Bản sửa thứ nhất”", html);
        Assert.Contains("Bản sửa thứ hai", html);
        Assert.Equal("Bản sửa thứ nhất", (await app.PledgeAsync(id)).Content);
    }

    [Fact]
    public async Task A_second_grid_save_of_the_same_pledge_is_refused_too()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[14].Id, PledgeStatus.Draft, "Bản gốc trong bảng");
        var v = (await app.PledgeAsync(id)).Version;
        var c = await app.SignedInAsync("bithu@hlb.local");
        Dictionary<string, string> Row(string content) => new() { ["Input.Edit[0].Id"] = id.ToString(), ["Input.Edit[0].Version"] = v.ToString(), ["Input.Edit[0].Content"] = content };
        var url = $"/Pledges/Branch/{tdp1}?year={Y}&handler=Save";
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostFormAsync(url, Row("Sửa lần một"), $"/Pledges/Branch/{tdp1}?year={Y}")).StatusCode);
        var r = await c.PostFormAsync(url, Row("Sửa lần hai"), $"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains("Nội dung: “Sửa lần một”", System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal("Sửa lần một", (await app.PledgeAsync(id)).Content);
    }

    [Fact]
    public async Task A_member_who_moves_mid_year_counts_in_the_new_branch_which_sees_the_pledge_read_only_while_the_old_branch_manages_it()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var m = (await app.MembersAsync("TQ-TP-PT-TDP1"))[15];
        var id = await app.AddPledgeAsync(m.Id, PledgeStatus.Submitted, "Việc đăng ký trước khi chuyển");
        await app.DbAsync(async db => { var x = await db.Members.SingleAsync(y => y.Id == m.Id); await HocLamTheoBac.Web.Data.MemberTransfers.TransferAsync(db, x, tdp2, TestClock.Today, default); await db.SaveChangesAsync(); });

        var newSecretary = await app.SignedInAsync("bithu2@hlb.local");
        var grid2 = await newSecretary.HtmlAsync($"/Pledges/Branch/{tdp2}?year={Y}");
        Assert.Contains("Việc đăng ký trước khi chuyển", grid2);
        Assert.Contains("Đăng ký ở chi bộ cũ (chỉ xem)", grid2);
        var v = (await app.PledgeAsync(id)).Version;
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(newSecretary, id, "Approve", v)).StatusCode);
        var details = await newSecretary.HtmlAsync($"/Pledges/Details/{id}");
        Assert.DoesNotContain("handler=Act", details);

        var oldSecretary = await app.SignedInAsync("bithu@hlb.local");
        var grid1 = await oldSecretary.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains("Đã chuyển sinh hoạt", grid1);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(oldSecretary, id, "Approve", v)).StatusCode);
        Assert.Equal(tdp1, (await app.PledgeAsync(id)).BranchId);
        // ADR 0006: members and their pledges count where the member stands on the as-of day.
        var counted = await app.DbAsync(async db => (await HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, tdp2, Y, default)).Totals.PledgesRegistered);
        var before = await app.DbAsync(db => db.Pledges.CountAsync(p => p.Member.BranchId == tdp2 && p.Year == Y && PledgeSets.Registered.Contains(p.Status)));
        Assert.Equal(before, counted);
        Assert.True(counted >= 1);
    }

    [Fact]
    public async Task Evidence_must_be_a_real_PDF_PNG_or_JPEG_under_5_MB_and_is_served_as_an_attachment_only_to_those_who_may_see_it()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.InProgress, "Việc có minh chứng");
        var member = await app.SignedInAsync("dangvien@hlb.local");

        async Task<HttpResponseMessage> Upload(byte[] bytes, string name, string type)
        {
            var page = await member.HtmlAsync($"/Pledges/Details/{id}");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var form = new MultipartFormDataContent { { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" } };
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, "file", name);
            return await member.PostAsync($"/Pledges/Details/{id}?handler=Upload", form);
        }

        var fake = await Upload("MZ this is an exe"u8.ToArray(), "anh.png", "image/png");
        Assert.Equal(HttpStatusCode.OK, fake.StatusCode);
        Assert.Contains("không phải PDF, PNG hoặc JPEG", await fake.Content.ReadAsStringAsync());
        var big = new byte[5 * 1024 * 1024 + 1];
        "%PDF-1.4"u8.CopyTo(big);
        var tooBig = await Upload(big, "lon.pdf", "application/pdf");
        Assert.Contains("quá lớn: tối đa 5 MB", await tooBig.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.DbAsync(db => db.PledgeEvidence.CountAsync(e => e.PledgeId == id)));

        var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"u8.ToArray();
        Assert.Equal(HttpStatusCode.Redirect, (await Upload(pdf, "../../bien-ban.pdf", "application/octet-stream")).StatusCode);
        var ev = await app.DbAsync(db => db.PledgeEvidence.SingleAsync(e => e.PledgeId == id));
        Assert.Equal(("bien-ban.pdf", "application/pdf"), (ev.FileName, ev.ContentType));
        Assert.DoesNotContain("wwwroot", ev.StoragePath);

        var download = await member.GetAsync($"/Pledges/Evidence/{ev.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        var other = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Pledges/Evidence/{ev.Id}")).StatusCode);
    }

    [Fact]
    public async Task Overdue_pledges_appear_in_the_reminders_after_sign_in()
    {
        var me = await app.DemoMemberIdAsync();
        await app.DbAsync(async db =>
        {
            var branchId = await db.Members.Where(m => m.Id == me).Select(m => m.BranchId).SingleAsync();
            db.Pledges.Add(new Pledge { MemberId = me, BranchId = branchId, Year = Y, Content = "Việc đã quá hạn", Deadline = TestClock.Today.AddDays(-3), Status = PledgeStatus.InProgress });
            await db.SaveChangesAsync();
        });
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var home = await member.HtmlAsync("/");
        Assert.Contains("Nhắc việc", home);
        Assert.Contains("Quá hạn", home);
        Assert.Contains("Việc đã quá hạn", home);
    }

    private static AngleSharp.Dom.IDocument Parse(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

    [Fact]
    public async Task The_reason_a_result_was_reopened_shows_on_the_pledge_page_to_the_member_and_the_secretary()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.Approved, "Đọc sách về Bác mỗi tối");
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(member, id, "ReportDone", (await app.PledgeAsync(id)).Version, "Đã đọc ba cuốn")).StatusCode);
        // A state, not a command: the member has reported, the branch has not yet confirmed.
        Assert.Equal("Đã báo cáo hoàn thành – chờ xác nhận", Parse(await member.HtmlAsync($"/Pledges/Details/{id}")).GetElementById("status")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(secretary, id, "Verify", (await app.PledgeAsync(id)).Version)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(secretary, id, "Reopen", (await app.PledgeAsync(id)).Version, "Minh chứng chưa đủ")).StatusCode);

        foreach (var client in new[] { member, secretary })
        {
            var history = Parse(await client.HtmlAsync($"/Pledges/Details/{id}")).GetElementById("history");
            Assert.NotNull(history);
            var steps = history.QuerySelectorAll("li").Select(li => string.Join(" ", li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
            Assert.Contains(steps, s => s.Contains("Hoàn thành → Đã báo cáo hoàn thành – chờ xác nhận") && s.Contains("Mở lại: Minh chứng chưa đủ"));
            Assert.Contains(steps, s => s.Contains("→ Đã báo cáo hoàn thành – chờ xác nhận") && s.Contains("Đã đọc ba cuốn"));
        }
        Assert.Equal(PledgeStatus.ReportedDone, (await app.PledgeAsync(id)).Status);
    }

    [Fact]
    public async Task A_missing_reason_or_a_note_too_long_answers_the_form_with_the_message_and_keeps_the_text()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[17].Id, PledgeStatus.InProgress);
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var v = (await app.PledgeAsync(id)).Version;

        var r = await ActAsync(secretary, id, "MarkNotDone", v, "   ");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = Parse(await r.Content.ReadAsStringAsync());
        Assert.Contains(PledgeRules.ReasonRequired, doc.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal("true", doc.GetElementById("note-MarkNotDone")!.GetAttribute("aria-invalid"));
        Assert.Contains("is-invalid", doc.GetElementById("note-MarkNotDone")!.ClassName);

        var tooLong = "Lý do rất dài " + new string('x', PledgeLimits.Reason);
        r = await ActAsync(secretary, id, "MarkNotDone", v, tooLong);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        doc = Parse(await r.Content.ReadAsStringAsync());
        Assert.Contains(PledgeRules.NoteTooLong(PledgeAction.MarkNotDone, tooLong)!, doc.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(tooLong, doc.GetElementById("note-MarkNotDone")!.TextContent);
        Assert.Equal(PledgeStatus.InProgress, (await app.PledgeAsync(id)).Status);

        // A refusal of the action itself stays 400 (ADR 0021).
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(secretary, id, "Submit", v)).StatusCode);
    }

    [Fact]
    public async Task A_deadline_already_past_is_saved_with_a_note_saying_so_on_the_details_page_and_in_the_grid()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[18].Id, PledgeStatus.Approved, "Dọn vệ sinh khu phố");
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var past = TestClock.Today.AddDays(-40);
        var r = await secretary.PostFormAsync($"/Pledges/Details/{id}?handler=Edit", new()
        {
            ["Input.Version"] = (await app.PledgeAsync(id)).Version.ToString(), ["Input.Content"] = "Dọn vệ sinh khu phố", ["Input.Deadline"] = past.ToString("dd/MM/yyyy"),
        }, $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(past, (await app.PledgeAsync(id)).Deadline);
        var details = WebUtility.HtmlDecode(await secretary.HtmlAsync($"/Pledges/Details/{id}"));
        Assert.Contains("Đã lưu việc làm theo.", details);
        Assert.Contains($"Lưu ý: thời hạn {past:dd/MM/yyyy} đã qua (hôm nay là {TestClock.Today:dd/MM/yyyy})", details);

        var grid = $"/Pledges/Branch/{tdp1}?year={Y}";
        const string newRow = "Input.New[0]";
        r = await secretary.PostFormAsync(grid + "&handler=Save", new()
        {
            [$"{newRow}.MemberId"] = m[19].Id.ToString(), [$"{newRow}.Content"] = "Trồng cây đầu năm", [$"{newRow}.Deadline"] = past.ToString("dd/MM/yyyy"),
        }, grid);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var after = WebUtility.HtmlDecode(await secretary.HtmlAsync(grid));
        var alert = System.Text.RegularExpressions.Regex.Match(after, "Đã lưu:[^<]*").Value;
        Assert.Contains($"Lưu ý: thời hạn đã qua (hôm nay là {TestClock.Today:dd/MM/yyyy}) ở 1 việc làm theo: {m[19].Name} ({past:dd/MM/yyyy})", alert);

        // A deadline ahead says nothing more.
        r = await secretary.PostFormAsync(grid + "&handler=Save", new()
        {
            [$"{newRow}.MemberId"] = m[19].Id.ToString(), [$"{newRow}.Content"] = "Trồng cây cuối năm", [$"{newRow}.Deadline"] = $"31/12/{Y}",
        }, grid);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.DoesNotContain("Lưu ý: thời hạn", WebUtility.HtmlDecode(await secretary.HtmlAsync(grid)));
    }
}
