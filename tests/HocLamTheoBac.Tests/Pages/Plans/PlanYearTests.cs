using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Plans;

public sealed class PlanYearTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    private static Task<HttpResponseMessage> PostAsync(HttpClient c, int unitId, string handler, Dictionary<string, string> fields, int? year = null) =>
        c.PostFormAsync(handler switch { "Open" => $"/Plans/Theme/{unitId}?year={year ?? Y}", "Topic" => $"/Plans/Topics/{unitId}?year={year ?? Y}", _ => $"/Plans/Closing/{unitId}?year={year ?? Y}&handler={handler}" }, fields, $"/Plans/Unit/{unitId}?year={year ?? Y}");

    [Fact]
    public async Task Topics_set_at_the_province_and_the_city_are_inherited_by_a_branch_but_not_by_a_sibling_district()
    {
        var tq = await app.OrgIdAsync("TQ");
        var tp = await app.OrgIdAsync("TQ-TP");
        var ys = await app.OrgIdAsync("TQ-YS");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var province = await app.SignedInAsync("tuyengiao@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(province, tq, "Open", new() { ["Plan.Theme"] = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng", ["Plan.PlanNumber"] = "15-KH/TU", ["Plan.PlanDate"] = $"{Y}-01-20" })).StatusCode);
        await PostAsync(province, tq, "Topic", new() { ["Topic.Kind"] = "Breakthrough", ["Topic.Title"] = "Đẩy mạnh cải cách thủ tục hành chính" });
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        await PostAsync(city, tp, "Topic", new() { ["Topic.Kind"] = "Breakthrough", ["Topic.Title"] = "Chung tay xử lý rác thải và chống rác thải nhựa" });
        await PostAsync(city, tp, "Topic", new() { ["Topic.Kind"] = "EthicalStandard", ["Topic.Title"] = "Nói đi đôi với làm" });

        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var branch = await secretary.HtmlAsync($"/Plans/Unit/{tdp1}?year={Y}");
        Assert.Contains("Đẩy mạnh cải cách thủ tục hành chính", branch);
        Assert.Contains("Chung tay xử lý rác thải và chống rác thải nhựa", branch);
        Assert.Contains("Nói đi đôi với làm", branch);
        Assert.Contains("Kế thừa từ Thành ủy Tuyên Quang", branch);
        Assert.Contains("15-KH/TU", branch);

        var district = await province.HtmlAsync($"/Plans/Unit/{ys}?year={Y}");
        Assert.Contains("Đẩy mạnh cải cách thủ tục hành chính", district);
        Assert.DoesNotContain("Chung tay xử lý rác thải", district);
    }

    [Fact]
    public async Task Only_committee_staff_of_the_subtree_may_set_the_plan_others_get_404()
    {
        var ys = await app.OrgIdAsync("TQ-YS");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await city.GetAsync($"/Plans/Unit/{ys}?year={Y}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(city, ys, "Topic", new() { ["Topic.Kind"] = "Breakthrough", ["Topic.Title"] = "Không được" })).StatusCode);
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(secretary, tdp1, "Topic", new() { ["Topic.Kind"] = "Breakthrough", ["Topic.Title"] = "Không được" })).StatusCode);
        Assert.False(await app.DbAsync(db => db.Topics.AnyAsync(t => t.Title == "Không được")));
        foreach (var form in new[] { "Theme", "Topics", "Closing" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/Plans/{form}/{tdp1}?year={Y}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await city.GetAsync($"/Plans/{form}/{ys}?year={Y}")).StatusCode);
        }
    }

    [Fact]
    public async Task Each_form_of_the_plan_page_posts_to_its_own_page_which_shows_what_is_wrong_and_keeps_the_input()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var plan = await city.HtmlAsync($"/Plans/Unit/{tp}?year={Y}");
        Assert.Contains($"action=\"/Plans/Theme/{tp}?year={Y}\"", plan);
        Assert.Contains($"action=\"/Plans/Topics/{tp}?year={Y}\"", plan);

        var noTheme = await PostAsync(city, tp, "Open", new() { ["Plan.Theme"] = "", ["Plan.PlanNumber"] = "9-KH/TU" });
        Assert.Equal(HttpStatusCode.OK, noTheme.StatusCode);
        var html = await noTheme.Content.ReadAsStringAsync();
        Assert.Contains("Vui lòng nhập chuyên đề năm.", html);
        Assert.Contains("value=\"9-KH/TU\"", html);

        var noTitle = await PostAsync(city, tp, "Topic", new() { ["Topic.Kind"] = "EthicalStandard", ["Topic.Title"] = "", ["Topic.Description"] = "Mô tả giữ lại" });
        Assert.Equal(HttpStatusCode.OK, noTitle.StatusCode);
        html = await noTitle.Content.ReadAsStringAsync();
        Assert.Contains("Vui lòng nhập tên nội dung.", html);
        Assert.Contains("Mô tả giữ lại", html);
    }

    [Fact]
    public async Task Closing_the_year_at_the_city_makes_branch_pledges_read_only_until_it_is_reopened_with_an_audited_reason()
    {
        const int year = 2031;
        var tp = await app.OrgIdAsync("TQ-TP");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[16].Id, PledgeStatus.Submitted, "Việc của năm sẽ khóa sổ", year);
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        await PostAsync(city, tp, "Open", new() { ["Plan.Theme"] = "Chuyên đề năm 2031" }, year);
        // The walk of session 20: one click closed a whole subtree's year. The form's box must be ticked.
        var unconfirmed = await PostAsync(city, tp, "Close", [], year);
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains($"Chưa khóa sổ: hãy đánh dấu ô “Tôi xác nhận khóa sổ năm {year}…” rồi bấm lại nút khóa sổ.", WebUtility.HtmlDecode(await unconfirmed.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("đã khóa sổ: việc làm theo chỉ được xem", await (await app.SignedInAsync("bithu@hlb.local")).HtmlAsync($"/Pledges/Branch/{tdp1}?year={year}"));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(city, tp, "Close", new() { ["Confirm"] = "true" }, year)).StatusCode);

        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var grid = await secretary.HtmlAsync($"/Pledges/Branch/{tdp1}?year={year}");
        Assert.Contains("đã khóa sổ: việc làm theo chỉ được xem", grid);
        Assert.DoesNotContain("Duyệt mục đã chọn", grid);
        var v = (await app.PledgeAsync(id)).Version;
        var refused = await secretary.PostFormAsync($"/Pledges/Details/{id}?handler=Act", new() { ["Input.Action"] = "Approve", ["Input.Version"] = v.ToString() }, $"/Pledges/Details/{id}");
        Assert.Contains("Năm kế hoạch đã khóa sổ", await refused.Content.ReadAsStringAsync());
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(id)).Status);

        // The walk of session 17: a ward below opened and rewrote its plan of the year the city had closed.
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var ward = WebUtility.HtmlDecode(await city.HtmlAsync($"/Plans/Unit/{pt}?year={year}"));
        Assert.Contains($"Năm {year} đã được cấp trên khóa sổ.", ward);
        Assert.DoesNotContain("Mở năm kế hoạch", ward);
        Assert.DoesNotContain("Thêm nội dung", ward);
        var opened = await PostAsync(city, pt, "Open", new() { ["Plan.Theme"] = "Chuyên đề mở sau khi khóa sổ" }, year);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains($"Năm {year} đã được cấp trên khóa sổ: không thể mở hoặc sửa kế hoạch năm của cấp này.", WebUtility.HtmlDecode(await opened.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.PlanYears.AnyAsync(p => p.OrgUnitId == pt && p.Year == year)));
        // The walk of session 18: the form pages opened by their address showed empty forms and refused only what was typed.
        foreach (var form in new[] { "Theme", "Topics", "Closing" })
        {
            var shown = WebUtility.HtmlDecode(await city.HtmlAsync($"/Plans/{form}/{pt}?year={year}"));
            Assert.Contains($"Năm {year} đã được cấp trên khóa sổ: không thể mở hoặc sửa kế hoạch năm của cấp này.", shown);
            Assert.DoesNotContain($"action=\"/Plans/{form}/{pt}?", shown);
        }
        var topic = await PostAsync(city, pt, "Topic", new() { ["Topic.Kind"] = "Breakthrough", ["Topic.Title"] = "Nội dung thêm sau khi khóa sổ" }, year);
        Assert.Contains($"Năm {year} đã được cấp trên khóa sổ", WebUtility.HtmlDecode(await topic.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Topics.AnyAsync(t => t.OrgUnitId == pt && t.Year == year)));
        // The plans' list says the ward's year is closed (it said "chưa mở năm").
        var ptName = await app.DbAsync(db => db.OrgUnits.Where(u => u.Id == pt).Select(u => u.Name).SingleAsync());
        var list = WebUtility.HtmlDecode(await city.HtmlAsync($"/Plans?year={year}"));
        var item = list[list.IndexOf(ptName, StringComparison.Ordinal)..];
        Assert.StartsWith("không mở năm – đã khóa sổ", System.Text.RegularExpressions.Regex.Replace(item[..item.IndexOf("</li>", StringComparison.Ordinal)], "<[^>]+>", "")[ptName.Length..].Trim());

        var noReason = await PostAsync(city, tp, "Reopen", new() { ["Reopen.Reason"] = "" }, year);
        Assert.Contains("Vui lòng ghi lý do mở lại.", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(city, tp, "Reopen", new() { ["Reopen.Reason"] = "Bổ sung kết quả của Chi bộ Tổ dân phố 1" }, year)).StatusCode);
        var planId = await app.DbAsync(db => db.PlanYears.Where(p => p.OrgUnitId == tp && p.Year == year).Select(p => p.Id).SingleAsync());
        var audit = await app.AuditAsync("PlanYear", planId);
        Assert.Contains(audit, a => a.Note == "Bổ sung kết quả của Chi bộ Tổ dân phố 1" && a.Actor == "tuyengiao.tp@hlb.local" && a.After!.Contains("\"ClosedAt\": null"));

        Assert.Equal(HttpStatusCode.Redirect, (await secretary.PostFormAsync($"/Pledges/Details/{id}?handler=Act", new() { ["Input.Action"] = "Approve", ["Input.Version"] = v.ToString() }, $"/Pledges/Details/{id}")).StatusCode);
    }
}
