using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>Issue 13, low findings: requests that answered 500 or a misleading message.</summary>
public sealed class BadRequestTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("/Audit?From=2026-11-01")]
    [InlineData("/Audit?From=2026-01-01&To=2026-12-31")]
    public async Task The_audit_page_filters_by_date_without_error(string url)
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/Members?q=a%00b")]
    [InlineData("/Users?Q=%00")]
    [InlineData("/Audit?Actor=x%00")]
    public async Task A_NUL_byte_in_a_search_box_answers_400_with_the_Vietnamese_page(string url)
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var page = await r.Content.ReadAsStringAsync();
        Assert.Contains("Yêu cầu không hợp lệ", page);
        // A search box is no form: the page names the character, not an expired form.
        Assert.Contains("ký tự không hợp lệ", page);
        Assert.DoesNotContain("hết hạn", page);
    }

    [Fact]
    public async Task A_NUL_byte_in_a_posted_form_answers_400_not_500()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var r = await admin.PostFormAsync($"/Members/Edit?org={org}", new() { ["Input.FullName"] = "Nguyễn\0Văn", ["Input.Version"] = "0" });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Biểu mẫu đã hết hạn hoặc dữ liệu gửi lên không hợp lệ", await r.Content.ReadAsStringAsync());
    }

    /// <summary>The attack walk of session 14: a forged hidden version got "Giá trị '-1' không hợp lệ." without a word
    /// on whether anything was saved.</summary>
    [Fact]
    public async Task A_forged_hidden_version_is_told_that_nothing_was_saved_and_nothing_is()
    {
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var (id, name) = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp1).OrderBy(m => m.Id).Select(m => new { m.Id, m.FullName }).FirstAsync().ContinueWith(t => (t.Result.Id, t.Result.FullName)));
        var r = await secretary.PostFormAsync($"/Members/Edit/{id}", new() { ["Input.FullName"] = "Tên bị sửa", ["Input.Status"] = "Active", ["Input.Version"] = "-1" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Biểu mẫu gửi lên không hợp lệ (mốc phiên bản bị sửa hoặc hỏng): chưa lưu thay đổi nào.", System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal(name, await app.DbAsync(db => db.Members.Where(m => m.Id == id).Select(m => m.FullName).SingleAsync()));
    }

    [Fact]
    public async Task A_40_MB_upload_answers_413_with_the_Vietnamese_page()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(new byte[40 * 1024 * 1024]), "Upload", "lon.csv");
        var r = await client.PostAsync($"/Members/Import?org={org}", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("Tệp quá lớn", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_address_longer_than_8_KB_answers_414_with_the_Vietnamese_page()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.GetAsync("/Members?q=" + new string('x', 9_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, r.StatusCode);
        Assert.Contains("Địa chỉ quá dài", await r.Content.ReadAsStringAsync());
        // Under the bound the page answers as it does to any long search (it shortens the box and sends the user on).
        Assert.True((int)(await admin.GetAsync("/Members?q=" + new string('x', 7_000))).StatusCode < 400);
    }
}
