using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Members;

public sealed class MemberImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Csv(IEnumerable<string> rows) => string.Join(",", MemberImport.Columns) + "\n" + string.Join("\n", rows) + "\n";

    private async Task<HttpResponseMessage> Upload(HttpClient client, int org, byte[] content, string fileName)
    {
        var page = await client.HtmlAsync($"/Members/Import?org={org}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "Upload", fileName);
        return await client.PostAsync($"/Members/Import?org={org}", form);
    }

    [Fact]
    public async Task A_file_with_one_bad_row_imports_nothing_and_names_the_row()
    {
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var before = await app.DbAsync(db => db.Members.CountAsync());
        var csv = Csv([
            "Lê Văn Bình,01/02/1970,Nam,09000001,03/02/2000,03/02/2001,Đảng viên,,0911111111,",
            "Trần Thị Cúc,31/02/1975,Nữ,09000002,,,,,,",
            "Phạm Văn Dũng,01/01/1980,Nam,09000001,,,,,,",
        ]);
        var r = await Upload(await app.SignedInAsync("bithu@hlb.local"), org, Encoding.UTF8.GetBytes(csv), "ds.csv");
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("chưa nhập đảng viên nào", html);
        Assert.Contains("ngày sinh “31/02/1975” không đúng dạng ngày dd/mm/yyyy", html);
        Assert.Contains("số thẻ 09000001 trùng với dòng 2 trong tệp", html);
        Assert.Equal(before, await app.DbAsync(db => db.Members.CountAsync()));
    }

    [Fact]
    public async Task An_image_or_a_file_without_the_columns_is_refused_as_a_file_not_as_one_bad_row()
    {
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var before = await app.DbAsync(db => db.Members.CountAsync());
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];
        var noColumns = Encoding.UTF8.GetBytes("Tên,Tuổi\nLê Văn Bình,56\n");
        foreach (var (content, name, says) in new[] { (png, "anh.csv", "không phải tệp CSV hay Excel"), (noColumns, "ds.csv", "Thiếu cột bắt buộc") })
        {
            var r = await Upload(secretary, org, content, name);
            var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("Chưa nhập đảng viên nào.", html);
            Assert.Contains(says, html);
            Assert.DoesNotContain("dòng lỗi;", html);
            Assert.DoesNotContain("Các dòng lỗi", html);
        }
        Assert.Equal(before, await app.DbAsync(db => db.Members.CountAsync()));
    }

    [Fact]
    public async Task A_card_number_already_in_the_database_is_refused_with_a_clear_message()
    {
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var existing = await app.DbAsync(db => db.Members.Where(m => m.BranchId == org && m.CardNumber != null).OrderBy(m => m.Id).Select(m => m.CardNumber!).FirstAsync());
        var r = await Upload(await app.SignedInAsync("bithu@hlb.local"), org, Encoding.UTF8.GetBytes(Csv([$"Đỗ Văn Em,01/01/1980,Nam,{existing},,,,,,"])), "ds.csv");
        Assert.Contains($"số thẻ {existing} đã có trong hệ thống", await r.Content.ReadAsStringAsync());

        var memberId = await app.DbAsync(db => db.Members.Where(m => m.CardNumber != existing && m.BranchId == org).Select(m => new { m.Id, m.Version }).FirstAsync());
        var form = await (await app.SignedInAsync("bithu@hlb.local")).PostFormAsync($"/Members/Edit/{memberId.Id}",
            new() { ["Input.FullName"] = "Đỗ Văn Em", ["Input.CardNumber"] = existing, ["Input.Status"] = "Active", ["Input.Version"] = memberId.Version.ToString() });
        Assert.Contains($"Số thẻ đảng viên {existing} đã được dùng cho một đảng viên khác.", await form.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_secretary_cannot_import_into_a_neighbouring_branch()
    {
        var other = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Members/Import?org={other}")).StatusCode);
    }

    [Fact]
    public async Task A_ten_thousand_row_xlsx_file_imports_in_one_go_into_the_branches_of_a_ward()
    {
        var ward = await app.OrgIdAsync("TQ-TP-PT");
        var rows = Enumerable.Range(1, 10_000).Select(i => (IReadOnlyList<string>)[
            $"Đảng viên Số {i}", "15/03/1980", i % 2 == 0 ? "Nữ" : "Nam", $"77{i:000000}", "19/05/2010", "19/05/2011", "Đảng viên",
            i % 2 == 0 ? "TQ-TP-PT-TDP1" : "tq-tp-pt-tdp2", "", ""]).ToList();
        var xlsx = TabularFile.WriteXlsx("Đảng viên", MemberImport.Columns, rows);
        var before = await app.DbAsync(db => db.Members.CountAsync());
        var r = await Upload(await app.SignedInAsync("admin@hlb.local"), ward, xlsx, "10000.xlsx");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(before + 10_000, await app.DbAsync(db => db.Members.CountAsync()));
        Assert.Equal(10_000, await app.DbAsync(db => db.MemberBranchPeriods.CountAsync(p => db.Members.Any(m => m.Id == p.MemberId && m.CardNumber!.StartsWith("77")))));
        Assert.Equal(5_000, await app.DbAsync(db => db.Members.CountAsync(m => m.CardNumber!.StartsWith("77") && m.Branch.Code == "TQ-TP-PT-TDP1" && m.Gender == HocLamTheoBac.Web.Domain.Gender.Female)));
    }
}
