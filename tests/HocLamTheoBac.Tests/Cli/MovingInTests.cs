using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Pages.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Cli;

/// <summary>An empty database: nothing seeded, as on a province's first install.</summary>
public sealed class EmptyAppFactory : AppFactory
{
    protected override bool SeedDemo => false;
}

/// <summary>A province moves in from an empty database: top-level unit, first administrator, a tree from a file.</summary>
public sealed class MovingInTests(EmptyAppFactory app) : IClassFixture<EmptyAppFactory>
{
    private IConfiguration Config => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();

    private async Task<(int Code, string Out, string Err)> Hlb(params string[] args)
    {
        var sw = new StringWriter();
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { return (await CommandLine.RunAsync(args, sw, Config), sw.ToString(), err.ToString()); }
        finally { Console.SetError(old); }
    }

    private static string TempCsv(string content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-units-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, content, new UTF8Encoding(true));
        return file;
    }

    /// <summary>1 top + 20 ward committees × 25 branches, parents listed after their children on purpose.</summary>
    private static string Tree(string top, int wards, int branches)
    {
        var sb = new StringBuilder(string.Join(",", UnitImport.Columns) + "\n");
        for (var w = 1; w <= wards; w++)
            for (var b = 1; b <= branches; b++)
                sb.Append($"{top}-P{w}-CB{b},Chi bộ khu dân cư {b} phường {w},Chi bộ trực thuộc,{top}-P{w},01/07/2025\n");
        for (var w = 1; w <= wards; w++)
            sb.Append($"{top}-P{w},Đảng ủy phường số {w},dang-uy-phuong-xa,,01/07/2025\n");
        return sb.ToString();
    }

    [Fact]
    public async Task A_province_starts_from_an_empty_database_with_a_few_commands()
    {
        var (code, output, err) = await Hlb("orgs", "add", "--code", "BG", "--name", "Tỉnh ủy Bắc Giang", "--kind", "tinh-uy", "--from", "01/07/2025");
        Assert.True(code == 0, err);
        Assert.Contains("Đã thêm đơn vị Tỉnh ủy Bắc Giang (BG), cấp cao nhất, từ ngày 01/07/2025.", output);
        (code, output, err) = await Hlb("users", "add", "--email", "quantri@bacgiang.vn", "--role", "admin", "--org", "BG", "--password", "MatKhauManh2026");
        Assert.True(code == 0, err);

        var file = TempCsv(Tree("BG", 20, 25));
        try
        {
            (code, output, err) = await Hlb("import", "units", file, "--org", "BG");
            Assert.True(code == 0, err);
            Assert.Contains("Đã nhập 520 đơn vị vào Tỉnh ủy Bắc Giang.", output);
        }
        finally { File.Delete(file); }

        var tree = await app.DbAsync(db => db.OrgUnits.AsNoTracking().Where(u => u.Code.StartsWith("BG")).Select(u => new { u.Code, u.Path, Parent = u.Parent!.Code, u.Kind.IsBranch }).ToListAsync());
        Assert.Equal(521, tree.Count);
        var branch = tree.Single(u => u.Code == "BG-P7-CB3");
        Assert.Equal("BG-P7", branch.Parent);
        Assert.Equal(3, branch.Path.ToString().Split('.').Length);
        Assert.Equal(521, await app.DbAsync(db => db.OrgPlacements.CountAsync(p => p.ValidFrom == new DateOnly(2025, 7, 1) && db.OrgUnits.Any(u => u.Id == p.OrgUnitId && u.Code.StartsWith("BG")))));
        var ids = await app.DbAsync(db => db.OrgUnits.Where(u => u.Code.StartsWith("BG")).Select(u => u.Id.ToString()).ToListAsync());
        var audited = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "OrgUnit" && a.Action == "Thêm" && a.Actor.StartsWith("operator") && ids.Contains(a.EntityId)));
        Assert.Equal(521, audited);

        var admin = await app.SignedInAsync("quantri@bacgiang.vn", "MatKhauManh2026");
        var html = await admin.HtmlAsync($"/Orgs/Details/{await app.OrgIdAsync("BG-P7")}");
        Assert.Contains("Chi bộ khu dân cư 3 phường 7", html);
    }

    [Fact]
    public async Task Orgs_add_refuses_bad_input_with_a_clear_message_and_adds_nothing()
    {
        await Hlb("orgs", "add", "--code", "HN", "--name", "Thành ủy Hà Nội", "--kind", "tinh-uy");
        await Hlb("orgs", "add", "--code", "HN-CB", "--name", "Chi bộ A", "--kind", "chi-bo-co-so", "--parent", "HN");
        var before = await app.DbAsync(db => db.OrgUnits.CountAsync());

        var (code, _, err) = await Hlb("orgs", "add", "--code", "HN", "--name", "Trùng mã", "--kind", "tinh-uy");
        Assert.Equal(1, code);
        Assert.Contains("Mã HN đã được dùng cho đơn vị khác.", err);
        (code, _, err) = await Hlb("orgs", "add", "--code", "X Y", "--name", "Mã sai", "--kind", "vua");
        Assert.Equal(1, code);
        Assert.Contains("chỉ được gồm chữ không dấu", err);
        Assert.Contains("loại tổ chức “vua” không có", err);
        (code, _, err) = await Hlb("orgs", "add", "--code", "HN-CB-X", "--name", "Dưới chi bộ", "--kind", "chi-bo-truc-thuoc", "--parent", "HN-CB");
        Assert.Equal(1, code);
        Assert.Contains("là chi bộ, không có đơn vị trực thuộc", err);
        (code, _, err) = await Hlb("orgs", "add", "--code", "HN-2", "--name", "Tương lai", "--kind", "huyen-uy", "--parent", "HN", "--from", "01/01/2099");
        Assert.Equal(1, code);
        Assert.Contains("không được sau hôm nay", err);
        (code, _, _) = await Hlb("orgs", "add", "--code", "HN-3", "--name", "Ngày sai", "--kind", "huyen-uy", "--parent", "HN", "--from", "2026-13-45");
        Assert.Equal(2, code);

        await app.CreateAccountAsync("qt.hn@hlb.local", Web.Domain.AppRole.Admin, "HN");
        (code, _, err) = await Hlb("orgs", "add", "--code", "HCM", "--name", "Thành ủy TP HCM", "--kind", "tinh-uy", "--as", "qt.hn@hlb.local");
        Assert.Equal(1, code);
        Assert.Contains("chỉ người vận hành", err);
        Assert.Equal(before, await app.DbAsync(db => db.OrgUnits.CountAsync()));

        (code, _, err) = await Hlb("orgs", "add", "--code", "HN-BD", "--name", "Đảng ủy phường Ba Đình", "--kind", "Đảng ủy phường, xã", "--parent", "HN", "--as", "qt.hn@hlb.local");
        Assert.True(code == 0, err);
        Assert.Equal("qt.hn@hlb.local (dòng lệnh)", await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "OrgUnit").OrderByDescending(a => a.Id).Select(a => a.Actor).FirstAsync()));
    }

    [Fact]
    public async Task A_units_file_with_one_bad_row_imports_nothing_and_names_every_bad_row()
    {
        await Hlb("orgs", "add", "--code", "DN", "--name", "Thành ủy Đà Nẵng", "--kind", "tinh-uy");
        var before = await app.DbAsync(db => db.OrgUnits.CountAsync());
        var file = TempCsv(string.Join(",", UnitImport.Columns) + "\n" +
                           "DN-P1,Đảng ủy phường 1,dang-uy-phuong-xa,,01/07/2025\n" +
                           "DN-P1-CB1,Chi bộ 1,chi-bo-truc-thuoc,DN-P1,01/07/2025\n" +
                           "DN-P1-CB1,Chi bộ 1 lần nữa,chi-bo-truc-thuoc,DN-P1,01/07/2025\n" +
                           "DN-X,Vòng A,dang-uy-phuong-xa,DN-Y,\n" +
                           "DN-Y,Vòng B,dang-uy-phuong-xa,DN-X,\n" +
                           "DN-Z,Không cha,chi-bo-co-so,KHONG-CO,31/02/2025\n" +
                           "DN-W,Dưới chi bộ,chi-bo-co-so,DN-P1-CB1,\n" +
                           "DN-P2-CB1,Con trước cha,chi-bo-truc-thuoc,DN-P1,01/01/2020\n");
        try
        {
            var (code, _, err) = await Hlb("import", "units", file, "--org", "DN");
            Assert.Equal(1, code);
            Assert.Contains("Dòng 4: Mã DN-P1-CB1 trùng với dòng 3 trong tệp.", err);
            Assert.Contains("Dòng 5: Mã đơn vị cấp trên tạo thành vòng lặp trong tệp.", err);
            Assert.Contains("Dòng 7: Ngày thành lập “31/02/2025” không đúng dạng ngày dd/mm/yyyy.", err);
            Assert.Contains("Dòng 8: Đơn vị cấp trên DN-P1-CB1 là chi bộ", err);
            Assert.Contains("Dòng 9: Ngày thành lập trước ngày thành lập của đơn vị cấp trên DN-P1 (01/07/2025).", err);
            Assert.Contains("chưa nhập đơn vị nào", err);
            Assert.Equal(before, await app.DbAsync(db => db.OrgUnits.CountAsync()));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task The_units_template_keeps_codes_as_text_and_the_Orgs_page_imports_for_administrators_only()
    {
        await Hlb("orgs", "add", "--code", "HP", "--name", "Thành ủy Hải Phòng", "--kind", "tinh-uy");
        await Hlb("orgs", "add", "--code", "HP-P1", "--name", "Đảng ủy phường 1", "--kind", "dang-uy-phuong-xa", "--parent", "HP");
        await Hlb("orgs", "add", "--code", "HP-P1-CB1", "--name", "Chi bộ 1", "--kind", "chi-bo-truc-thuoc", "--parent", "HP-P1");
        await app.CreateAccountAsync("qt.hp@hlb.local", Web.Domain.AppRole.Admin, "HP");
        await app.CreateAccountAsync("bt.hp@hlb.local", Web.Domain.AppRole.Secretary, "HP-P1-CB1");
        var hp = await app.OrgIdAsync("HP");

        var admin = await app.SignedInAsync("qt.hp@hlb.local");
        var template = await admin.GetByteArrayAsync($"/Orgs/Import?handler=Template&format=xlsx&org={hp}");
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(template), false))
        {
            var formats = doc.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
            var columns = doc.WorkbookPart.WorksheetParts.Single().Worksheet.Descendants<Column>().ToList();
            Assert.Equal(UnitImport.Columns.Length, columns.Count);
            Assert.All(columns, c => Assert.Equal(49u, formats[(int)c.Style!.Value].NumberFormatId!.Value));
        }

        var details = await admin.HtmlAsync($"/Orgs/Details/{hp}");
        Assert.Contains($"/Orgs/Import?org={hp}", details);
        var page = await admin.HtmlAsync($"/Orgs/Import?org={hp}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var csv = string.Join(",", UnitImport.Columns) + "\nHP-P2,Đảng ủy phường 2,dang-uy-phuong-xa,,\nHP-P2-CB1,Chi bộ 1 phường 2,chi-bo-truc-thuoc,HP-P2,\n";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "don-vi.csv" },
        };
        var post = await admin.PostAsync($"/Orgs/Import?org={hp}", form);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("HP-P2", await app.DbAsync(db => db.OrgUnits.Where(u => u.Code == "HP-P2-CB1").Select(u => u.Parent!.Code).SingleAsync()));

        var secretary = await app.SignedInAsync("bt.hp@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/Orgs/Import?org={hp}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/Orgs/Import?org={await app.OrgIdAsync("HP-P1-CB1")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/Orgs/Import?org={await app.OrgIdAsync("HP-P1-CB1")}")).StatusCode);
    }

    [Fact]
    public async Task Saving_a_new_unit_with_an_empty_code_answers_the_form_with_a_message_not_500()
    {
        await Hlb("orgs", "add", "--code", "CT", "--name", "Thành ủy Cần Thơ", "--kind", "tinh-uy");
        await app.CreateAccountAsync("qt.ct@hlb.local", Web.Domain.AppRole.Admin, "CT");
        var admin = await app.SignedInAsync("qt.ct@hlb.local");
        var ct = await app.OrgIdAsync("CT");
        var kind = await app.DbAsync(db => db.OrgKinds.Where(k => k.Code == "huyen-uy").Select(k => k.Id).SingleAsync());
        var r = await admin.PostFormAsync($"/Orgs/Create?parent={ct}", new() { ["Parent"] = ct.ToString(), ["Input.Name"] = "Đảng bộ X", ["Input.Code"] = "", ["Input.KindId"] = kind.ToString(), ["Input.FoundedYear"] = "2020" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Vui lòng nhập mã đơn vị.", await r.Content.ReadAsStringAsync());
        r = await admin.PostFormAsync($"/Orgs/Create?parent={ct}", new() { ["Parent"] = ct.ToString(), ["Input.Name"] = "Đảng bộ X", ["Input.Code"] = "ct", ["Input.KindId"] = kind.ToString(), ["Input.FoundedYear"] = "2020" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Mã ct đã được dùng cho đơn vị khác.", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task An_image_sent_as_the_units_file_is_called_what_it_is_and_blank_founding_dates_are_said_not_filled_silently()
    {
        await Hlb("orgs", "add", "--code", "KH", "--name", "Tỉnh ủy Khánh Hòa", "--kind", "tinh-uy", "--from", "01/01/2020");
        await app.CreateAccountAsync("qt.kh@hlb.local", Web.Domain.AppRole.Admin, "KH");
        var kh = await app.OrgIdAsync("KH");
        var admin = await app.SignedInAsync("qt.kh@hlb.local");
        async Task<HttpResponseMessage> Post(byte[] bytes, string name)
        {
            var page = await admin.HtmlAsync($"/Orgs/Import?org={kh}");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            using var form = new MultipartFormDataContent
            {
                { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" },
                { new ByteArrayContent(bytes), "Upload", name },
            };
            return await admin.PostAsync($"/Orgs/Import?org={kh}", form);
        }

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];
        foreach (var name in new[] { "so-do.png", "don-vi.csv", "don-vi.xlsx" })
        {
            var r = await Post(png, name);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
            Assert.Contains("không phải tệp CSV hay Excel", html);
            Assert.DoesNotContain("Tệp có 1 dòng lỗi", html);
            Assert.DoesNotContain("import-errors", html);
            if (name != "so-do.png") Assert.Contains("ảnh PNG", html);
        }

        var csv = string.Join(",", UnitImport.Columns) + "\nKH-P1,Đảng ủy phường 1,dang-uy-phuong-xa,,\nKH-P1-CB1,Chi bộ 1 phường 1,chi-bo-truc-thuoc,KH-P1,\nKH-P2,Đảng ủy phường 2,dang-uy-phuong-xa,,01/07/2025\n";
        var post = await Post(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "don-vi.csv");
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var year = TestClock.Year;
        var details = WebUtility.HtmlDecode(await admin.HtmlAsync($"/Orgs/Details/{kh}"));
        Assert.Contains($"Đã nhập 3 đơn vị. 2 đơn vị để trống ngày thành lập (dòng 2, 3) được ghi thành lập từ 01/01/{year}", details);

        var file = TempCsv(string.Join(",", UnitImport.Columns) + "\nKH-P3,Đảng ủy phường 3,dang-uy-phuong-xa,,\n");
        try
        {
            var (code, output, err) = await Hlb("import", "units", file, "--org", "KH");
            Assert.True(code == 0, err);
            Assert.Contains("Đã nhập 1 đơn vị vào Tỉnh ủy Khánh Hòa. 1 đơn vị để trống ngày thành lập (dòng 2) được ghi thành lập từ 01/01/", output);
        }
        finally { File.Delete(file); }
    }
}
