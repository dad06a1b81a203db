using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Shared;

/// <summary>Dates typed and shown as dd/mm/yyyy on every form; phone numbers and e-mails checked on the server.</summary>
public sealed partial class DateAndContactFormTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public void No_page_uses_the_browsers_own_date_box()
    {
        var pages = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/HocLamTheoBac.Web/Pages"));
        var offenders = Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .Where(f => DateType().IsMatch(File.ReadAllText(f))).Select(f => Path.GetRelativePath(pages, f)).ToList();
        Assert.True(Directory.Exists(pages), pages);
        Assert.Empty(offenders);
    }

    [Fact]
    public async Task A_member_form_shows_and_reads_dates_as_dd_mm_yyyy_and_says_in_vietnamese_what_is_wrong()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Lương Thị Ngày", ["Input.BirthDate"] = "12/31/1980", ["Input.AdmittedOn"] = "3/4/2010", ["Input.Phone"] = "0900", ["Input.Email"] = "hoa@", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("Ngày sinh: “12/31/1980” không phải một ngày hợp lệ; nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/12/2025.", html);
        Assert.Contains("Số điện thoại “0900” không hợp lệ", html);
        Assert.Contains("Email “hoa@” không hợp lệ", html);
        // What was typed stays in the boxes, which are text boxes with the dd/mm/yyyy hint.
        Assert.Matches("<input[^>]*type=\"text\"[^>]*id=\"Input_BirthDate\"[^>]*value=\"12/31/1980\"|<input[^>]*id=\"Input_BirthDate\"[^>]*type=\"text\"[^>]*value=\"12/31/1980\"", html);
        Assert.Contains("placeholder=\"dd/mm/yyyy\"", html);
        Assert.False(await app.DbAsync(db => db.Members.AnyAsync(m => m.FullName == "Lương Thị Ngày")));

        r = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Lương Thị Ngày", ["Input.BirthDate"] = "31/12/1980", ["Input.AdmittedOn"] = "3/4/2010", ["Input.Phone"] = "+84 912 345 678", ["Input.Email"] = "ngay@phuong.gov.vn", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var m = await app.DbAsync(db => db.Members.SingleAsync(m => m.FullName == "Lương Thị Ngày"));
        Assert.Equal((new DateOnly(1980, 12, 31), new DateOnly(2010, 4, 3), "+84912345678", "ngay@phuong.gov.vn"), (m.BirthDate, m.AdmittedOn, m.Phone, m.Email));
        var form = WebUtility.HtmlDecode(await client.HtmlAsync($"/Members/Edit/{m.Id}"));
        Assert.Contains("value=\"31/12/1980\"", form);
        Assert.Contains("value=\"03/04/2010\"", form);
    }

    [Fact]
    public async Task Saving_the_grid_as_served_changes_no_deadline_and_shows_each_stored_one()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var members = await HocLamTheoBac.Tests.Pages.Pledges.PledgeData.MembersAsync(app, "TQ-TP-PT-TDP2", take: 3);
        var ids = new List<int>();
        foreach (var (id, _, _) in members)
            ids.Add(await HocLamTheoBac.Tests.Pages.Pledges.PledgeData.AddPledgeAsync(app, id, HocLamTheoBac.Web.Domain.PledgeStatus.Approved, "Hạn giữ nguyên khi lưu lưới"));
        var before = await app.DbAsync(db => db.Pledges.Where(p => p.BranchId == tdp2).ToDictionaryAsync(p => p.Id, p => p.Deadline));
        Assert.Contains(before.Values, d => d is not null);

        var client = await app.SignedInAsync("bithu2@hlb.local");
        // Rows are text until opened: open them all (as "Sửa" does without script), then post the form as it stands.
        var html = await client.HtmlAsync($"/Pledges/Branch/{tdp2}?" + string.Join("&", ids.Select(id => $"open={id}")));
        foreach (var id in ids)
            Assert.Matches($"id=\"d-{id}\"[^>]*value=\"31/12/{TestClock.Year}\"", html);

        // Every field of the grid's form as the browser sends it: nothing changed, so nothing may change.
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var form = doc.QuerySelector("#grid-form")!;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var el in form.QuerySelectorAll("input[name], textarea[name]"))
        {
            var type = el.GetAttribute("type");
            if (type is "checkbox" or "submit" or "file") continue;
            fields.Add(new(el.GetAttribute("name")!, el.LocalName == "textarea" ? el.TextContent : el.GetAttribute("value") ?? ""));
        }
        var r = await client.PostAsync($"/Pledges/Branch/{tdp2}?handler=Save", new FormUrlEncodedContent(fields));
        Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, r.StatusCode.ToString());
        var after = await app.DbAsync(db => db.Pledges.Where(p => p.BranchId == tdp2).ToDictionaryAsync(p => p.Id, p => p.Deadline));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_date_that_is_not_a_date_in_the_grid_names_the_member_and_keeps_the_text()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var kept = await HocLamTheoBac.Tests.Pages.Pledges.PledgeData.AddPledgeAsync(app, (await HocLamTheoBac.Tests.Pages.Pledges.PledgeData.MembersAsync(app, "TQ-TP-PT-TDP1"))[3].Id, HocLamTheoBac.Web.Domain.PledgeStatus.Submitted, "Có thời hạn cuối năm");
        var newFor = (await HocLamTheoBac.Tests.Pages.Pledges.PledgeData.MembersAsync(app, "TQ-TP-PT-TDP1"))[4].Id;
        var grid = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?open={kept}&add={newFor}");
        // A saved deadline is shown day first in its row (and so posted back unchanged with every save).
        Assert.Matches($"id=\"d-{kept}\"[^>]*value=\"31/12/{TestClock.Year}\"", grid);
        // The opened new row (index 0: a list binds from its first index on).
        var memberId = int.Parse(Regex.Match(grid, "name=\"Input.New\\[0\\].MemberId\" value=\"(\\d+)\"").Groups[1].Value);
        var name = await app.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.FullName).SingleAsync());
        const string index = "0";
        var r = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?handler=Save", new()
        {
            [$"Input.New[{index}].MemberId"] = memberId.ToString(), [$"Input.New[{index}].Content"] = "Trồng 20 cây xanh ở tổ dân phố", [$"Input.New[{index}].Deadline"] = "30/13/2026",
        }, getUrl: $"/Pledges/Branch/{tdp1}");
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains($"{name}: Thời hạn: “30/13/2026” không phải một ngày hợp lệ", html);
        Assert.Matches($"id=\"nd-{memberId}\"[^>]*value=\"30/13/2026\"", html);
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Content == "Trồng 20 cây xanh ở tổ dân phố")));
    }

    [Fact]
    public async Task Query_forms_read_and_show_dates_day_first_and_say_what_is_wrong()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var ok = WebUtility.HtmlDecode(await admin.HtmlAsync("/Audit?from=1/2/2026&to=2026-03-31"));
        Assert.Matches("id=\"from\"[^>]*value=\"01/02/2026\"", ok);
        Assert.Matches("id=\"to\"[^>]*value=\"31/03/2026\"", ok);
        var bad = WebUtility.HtmlDecode(await admin.HtmlAsync("/Audit?from=31/31/2026"));
        Assert.Contains("Từ ngày: “31/31/2026” không phải một ngày hợp lệ", bad);
        Assert.Matches("id=\"from\"[^>]*value=\"31/31/2026\"", bad);
    }

    [Fact]
    public async Task A_wrong_deadline_on_a_members_new_pledge_marks_the_date_box_invalid_like_the_grid()
    {
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var r = await member.PostFormAsync("/Pledges/Mine?handler=Add", new()
        {
            ["Input.Content"] = "Đọc sách về Bác mỗi tối", ["Input.Deadline"] = "30/13/2026",
        }, getUrl: "/Pledges/Mine");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("“30/13/2026” không phải một ngày hợp lệ", html);
        var box = Regex.Match(html, "<input[^>]*name=\"Input.Deadline\"[^>]*>").Value;
        Assert.Contains("value=\"30/13/2026\"", box);
        Assert.Matches("class=\"[^\"]*\\bis-invalid\\b", box);
        Assert.Contains("aria-invalid=\"true\"", box);
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Content == "Đọc sách về Bác mỗi tối")));
    }

    [Fact]
    public async Task The_member_import_refuses_bad_phone_numbers_and_addresses_row_by_row()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var csv = string.Join(",", MemberImport.Columns) + "\n"
                  + "Tô Văn Một,01/01/1980,Nam,,,,,,0900,,\n"
                  + "Tô Văn Hai,01/01/1980,Nam,,,,,,,hoa@,\n"
                  + "Tô Văn Ba,01/01/1980,Nam,,,,,,0912 345 678,ba@phuong.gov.vn,\n";
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var page = await client.HtmlAsync($"/Members/Import?org={tdp2}");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "Upload", "dang-vien.csv" },
        };
        var r = await client.PostAsync($"/Members/Import?org={tdp2}", content);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("số điện thoại “0900” không hợp lệ", html);
        Assert.Contains("email “hoa@” không hợp lệ", html);
        Assert.False(await app.DbAsync(db => db.Members.AnyAsync(m => m.FullName.StartsWith("Tô Văn"))));
    }

    [GeneratedRegex("type=\"?date\"?", RegexOptions.IgnoreCase)] private static partial Regex DateType();
}
