using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Pages.Pledges;

public sealed class PledgeImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Year = 2030;

    private async Task<HttpResponseMessage> UploadAsync(HttpClient c, int unitId, byte[] bytes, string name, int year = Year)
    {
        var page = await c.HtmlAsync($"/Pledges/Import/{unitId}?year={Year}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new MultipartFormDataContent { { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" }, { new ByteArrayContent(bytes), "file", name } };
        return await c.PostAsync($"/Pledges/Import/{unitId}?year={year}", form);
    }

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes("Số thẻ đảng viên,Nội dung,Giải pháp,Thời hạn,Trạng thái\n" + string.Join("\n", lines));

    private Task<int> CountAsync(int unitId) => app.DbAsync(db => db.Pledges.CountAsync(p => p.BranchId == unitId && p.Year == Year));

    [Fact]
    public async Task A_file_with_any_bad_row_imports_nothing_and_names_each_bad_row_in_Vietnamese()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        var before = await CountAsync(tdp1);
        var r = await UploadAsync(c, tdp1, Csv(
            $"{m[0].Card},Trồng cây xanh,Mỗi quý một lần,30/06/{Year},Đã duyệt",
            $"99999999,Việc của người lạ,,,",
            $"{m[1].Card},,,31/02/{Year},xong rồi",
            $"{m[2].Card},Đọc sách,,30/12/9999,Đã duyệt"), "viec.csv");
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("Chưa nhập dòng nào", html);
        Assert.Contains("Dòng 3: không có đảng viên số thẻ 99999999 trong Chi bộ Tổ dân phố 1.", html);
        Assert.Contains($"Dòng 4: thiếu nội dung việc làm theo; thời hạn “31/02/{Year}” không đúng dạng ngày dd/mm/yyyy; trạng thái “xong rồi” không hợp lệ", html);
        Assert.Contains("Dòng 5: thời hạn “30/12/9999” có năm 9999 nằm ngoài khoảng cho phép (năm phải từ 1900 đến 2100).", html);
        Assert.Equal(before, await CountAsync(tdp1));
    }

    /// <summary>The walk of session 16: the same file imported twice doubled every pledge (and every count); a row
    /// repeated in the file was taken twice.</summary>
    [Fact]
    public async Task A_pledge_repeated_in_the_file_or_already_saved_is_refused_with_its_line_and_nothing_is_imported()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var m = await app.MembersAsync("TQ-TP-PT-TDP2");
        var c = await app.SignedInAsync("bithu2@hlb.local");
        var file = Csv($"{m[0].Card},Dọn vệ sinh ngõ xóm mỗi tuần,,,", $"{m[1].Card},Dọn vệ sinh ngõ xóm mỗi tuần,,,", $"{m[0].Card},Kèm cặp một học sinh nghèo,,,");
        var before = await CountAsync(tdp2);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(c, tdp2, file, "lan1.csv")).StatusCode);
        Assert.Equal(before + 3, await CountAsync(tdp2));

        // The same file again: every row is already saved.
        var again = WebUtility.HtmlDecode(await (await UploadAsync(c, tdp2, file, "lan2.csv")).Content.ReadAsStringAsync());
        Assert.Contains("Chưa nhập dòng nào", again);
        Assert.Contains($"Dòng 2: đảng viên số thẻ {m[0].Card} đã có việc làm theo “Dọn vệ sinh ngõ xóm mỗi tuần” trong năm {Year}.", again);
        Assert.Contains($"Dòng 4: đảng viên số thẻ {m[0].Card} đã có việc làm theo “Kèm cặp một học sinh nghèo”", again);
        Assert.Equal(before + 3, await CountAsync(tdp2));

        // A row repeated in the file (another letter case too), beside a new one: named with the line it repeats.
        var repeated = WebUtility.HtmlDecode(await (await UploadAsync(c, tdp2, Csv(
            $"{m[2].Card},Trồng cây ở nhà văn hóa,,,", $"{m[3].Card},Trồng cây ở nhà văn hóa,,,", $"{m[2].Card},TRỒNG CÂY Ở NHÀ VĂN HÓA,,,"), "lap.csv")).Content.ReadAsStringAsync());
        Assert.Contains($"Dòng 4: trùng với dòng 2 (cùng đảng viên số thẻ {m[2].Card}, cùng nội dung “TRỒNG CÂY Ở NHÀ VĂN HÓA”).", repeated);
        Assert.DoesNotContain("Dòng 3:", repeated);
        Assert.Equal(before + 3, await CountAsync(tdp2));

        // The walk of session 18: a doubled space, a tab or a zero-width character inside the words made another pledge.
        var invisible = WebUtility.HtmlDecode(await (await UploadAsync(c, tdp2, Csv(
            $"{m[0].Card},Dọn vệ sinh  ngõ xóm mỗi tuần,,,", $"{m[0].Card},Kèm cặp\u200B một\thọc sinh nghèo\uFEFF,,,"), "an.csv")).Content.ReadAsStringAsync());
        Assert.Contains("Chưa nhập dòng nào", invisible);
        Assert.Contains($"Dòng 2: đảng viên số thẻ {m[0].Card} đã có việc làm theo “Dọn vệ sinh ngõ xóm mỗi tuần” trong năm {Year}.", invisible);
        Assert.Contains($"Dòng 3: đảng viên số thẻ {m[0].Card} đã có việc làm theo “Kèm cặp một học sinh nghèo”", invisible);
        Assert.Equal(before + 3, await CountAsync(tdp2));

        // A deleted pledge does not count: its content may be imported again.
        await app.DbAsync(async db =>
        {
            var p = await db.Pledges.SingleAsync(p => p.BranchId == tdp2 && p.Year == Year && p.MemberId == m[1].Id && p.Content == "Dọn vệ sinh ngõ xóm mỗi tuần");
            p.DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(c, tdp2, Csv($"{m[1].Card},Dọn vệ sinh ngõ xóm mỗi tuần,,,"), "lai.csv")).StatusCode);
        // Independent count: each member has each content once among the year's live pledges.
        Assert.Equal(0, await app.DbAsync(db => db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM (SELECT 1 FROM pledges WHERE branch_id = {0} AND year = {1} AND deleted_at IS NULL GROUP BY member_id, lower(content) HAVING count(*) > 1) x", tdp2, Year).SingleAsync()));
    }

    [Fact]
    public async Task Deadlines_outside_the_plan_year_a_control_character_and_a_year_outside_the_range_are_refused_with_words_not_500()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        var before = await CountAsync(tdp1);
        var r = await UploadAsync(c, tdp1, Csv($"{m[4].Card},Việc có hạn năm khác,,01/01/2020,", $"{m[5].Card},Việc có hạn là một con số,,2,"), "han.csv");
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        // One clause of the row's sentence, as the row's other refusals (the walk of session 18: "Dòng 2: Thời hạn … {Year}).." ).
        Assert.Contains($"Dòng 2: thời hạn 01/01/2020 phải nằm trong năm kế hoạch {Year} (01/01/{Year} – 31/12/{Year}).<", html);
        Assert.Contains($"Dòng 3: thời hạn", html);

        r = await UploadAsync(c, tdp1, Csv($"{m[4].Card},Việc có ký tự \0 lạ,,,"), "nul.csv");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("ký tự điều khiển", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal(before, await CountAsync(tdp1));

        r = await UploadAsync(c, tdp1, Csv($"{m[4].Card},Việc của năm 3000,,,"), "xa.csv", year: 3000);
        Assert.NotEqual(HttpStatusCode.InternalServerError, r.StatusCode);
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Year == 3000)));
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync("/Pledges?year=0")).StatusCode); // refused with the reason (ADR 0021)
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync("/Pledges/Mine?year=-1")).StatusCode);
    }

    [Fact]
    public async Task A_correct_csv_and_a_correct_xlsx_are_imported_with_their_statuses_and_deadlines()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        var before = await CountAsync(tdp1);
        var r = await UploadAsync(c, tdp1, Csv($"{m[2].Card},\"Đọc sách, báo về Bác\",Mỗi tháng một cuốn,15/12/{Year},Hoàn thành", $"{m[3].Card},Tiết kiệm điện,,,"), "viec.csv");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var read = await app.DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.MemberId == m[2].Id && p.Year == Year));
        Assert.Equal(("Đọc sách, báo về Bác", PledgeStatus.Done, new DateOnly(Year, 12, 15)), (read.Content, read.Status, read.Deadline!.Value));
        Assert.Equal(PledgeStatus.Draft, (await app.DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.MemberId == m[3].Id && p.Year == Year))).Status);

        var xlsx = Xlsx(["Số thẻ", "Nội dung", "Giải pháp", "Thời hạn", "Trạng thái"], [m[4].Card, "Hiến máu nhân đạo", "Đăng ký với hội chữ thập đỏ", new DateTime(Year, 9, 2), "Chờ duyệt"]);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(c, tdp1, xlsx, "viec.xlsx")).StatusCode);
        var x = await app.DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.MemberId == m[4].Id && p.Year == Year));
        Assert.Equal(("Hiến máu nhân đạo", PledgeStatus.Submitted, new DateOnly(Year, 9, 2)), (x.Content, x.Status, x.Deadline!.Value));
        Assert.Equal(before + 3, await CountAsync(tdp1));
    }

    [Fact]
    public async Task The_template_downloads_and_other_branches_cannot_import_here()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        var t = await c.GetAsync($"/Pledges/Import/{tdp1}?handler=Template");
        Assert.Equal(HttpStatusCode.OK, t.StatusCode);
        Assert.Contains("Số thẻ đảng viên", Encoding.UTF8.GetString(await t.Content.ReadAsByteArrayAsync()));
        var other = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Pledges/Import/{tdp1}")).StatusCode);
    }

    /// <summary>The walk of session 17: "--as" a locked account still acted with its scope.</summary>
    [Fact]
    public async Task The_command_line_refuses_to_act_as_a_locked_account()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.CreateAccountAsync("bithu.da.nghi@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        await app.DbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, AccountLock.ByAdministrator)));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        var dir = Directory.CreateTempSubdirectory("hlb-import-locked");
        var file = Path.Combine(dir.FullName, "khoa.csv");
        await File.WriteAllBytesAsync(file, Csv($"{m[7].Card},Việc của tài khoản đã khóa,,,"));
        var args = new[] { "import", "pledges", file, "--org", "TQ-TP-PT-TDP1", "--year", Year.ToString(), "--as", "bithu.da.nghi@hlb.local" };
        Assert.Equal(1, await CommandLine.RunAsync(args, new StringWriter(), config));
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Content == "Việc của tài khoản đã khóa")));
        await app.DbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null)));
        Assert.Equal(0, await CommandLine.RunAsync(args, new StringWriter(), config));
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task The_command_line_imports_pledges_respecting_as_and_refuses_a_bad_file_whole()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        var dir = Directory.CreateTempSubdirectory("hlb-import");
        var good = Path.Combine(dir.FullName, "tot.csv");
        await File.WriteAllBytesAsync(good, Csv($"{m[5].Card},Việc nhập bằng dòng lệnh,,,"));
        var bad = Path.Combine(dir.FullName, "sai.csv");
        await File.WriteAllBytesAsync(bad, Csv($"{m[6].Card},Việc hợp lệ,,,", "khong-co,Việc lỗi,,,"));
        var o = new StringWriter();
        Assert.Equal(1, await CommandLine.RunAsync(["import", "pledges", good, "--org", "TQ-TP-PT-TDP1", "--year", Year.ToString(), "--as", "bithu2@hlb.local"], o, config));
        Assert.Equal(1, await CommandLine.RunAsync(["import", "pledges", bad, "--org", "TQ-TP-PT-TDP1", "--year", Year.ToString()], o, config));
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Content == "Việc hợp lệ")));
        Assert.Equal(0, await CommandLine.RunAsync(["import", "pledges", good, "--org", "TQ-TP-PT-TDP1", "--year", Year.ToString(), "--as", "bithu@hlb.local"], o, config));
        Assert.Contains("Đã nhập 1 việc làm theo năm 2030 cho Chi bộ Tổ dân phố 1.", o.ToString());
        var audit = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "Pledge" && a.Note == "Nhập từ tệp").Select(a => a.Actor).ToListAsync());
        Assert.Contains("bithu@hlb.local (dòng lệnh)", audit);
        Assert.Equal(2, await CommandLine.RunAsync(["import", "pledges", good, "--org", "TQ-TP-PT-TDP1"], o, config));
        dir.Delete(true);
    }

    [Fact]
    public async Task Each_imported_pledge_gets_one_audit_row_in_file_order_and_the_branchs_other_pledges_none()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        // A pledge of the branch and year that exists before the import: it must get no "imported" audit row.
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(c, tdp1, Csv($"{m[7].Card},Việc có trước đợt nhập,,,"), "truoc.csv")).StatusCode);
        var earlier = await app.DbAsync(db => db.Pledges.Where(p => p.Content == "Việc có trước đợt nhập").Select(p => p.Id).SingleAsync());
        var auditsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "Pledge" && a.Note == "Nhập từ tệp"));

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(c, tdp1, Csv(
            $"{m[8].Card},Việc thứ nhất của đợt,,,Hoàn thành",
            $"{m[9].Card},Việc thứ hai của đợt,,,",
            $"{m[8].Card},Việc thứ ba của đợt,,,Chờ duyệt"), "dot.csv")).StatusCode);

        var imported = await app.DbAsync(db => db.Pledges.AsNoTracking().Where(p => p.Content.EndsWith("của đợt")).OrderBy(p => p.Id).Select(p => new { p.Id, p.Content }).ToListAsync());
        Assert.Equal(["Việc thứ nhất của đợt", "Việc thứ hai của đợt", "Việc thứ ba của đợt"], imported.Select(p => p.Content));   // ids in file order
        var audits = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Pledge" && a.Note == "Nhập từ tệp").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(auditsBefore + 3, audits.Count);
        var mine = audits.TakeLast(3).ToList();
        Assert.Equal(imported.Select(p => p.Id.ToString()), mine.Select(a => a.EntityId));
        Assert.DoesNotContain(mine, a => a.EntityId == earlier.ToString());
        Assert.All(mine, a => Assert.Equal(("Thêm", (int?)tdp1), (a.Action, a.OrgUnitId)));
        Assert.Contains("\"Status\": \"Done\"", mine[0].After);
        Assert.Contains("\"Status\": \"Draft\"", mine[1].After);
        Assert.Contains("\"Status\": \"Submitted\"", mine[2].After);
        Assert.Contains("\"Content\": \"Việc thứ hai của đợt\"", mine[1].After);
    }

    private static byte[] Xlsx(string[] header, object[] row)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var ws = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            Row Make(IEnumerable<object> values) => new(values.Select(v => v switch
            {
                DateTime d => new Cell { CellValue = new CellValue(d.ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v.ToString()!)) },
            }).Select((c, i) => { c.CellReference = ((char)('A' + i)).ToString(); return (OpenXmlElement)c; }));
            data.Append(Make(header));
            data.Append(Make(row));
            ws.Worksheet = new Worksheet(data);
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "Việc làm theo" }));
        }
        return ms.ToArray();
    }
}
