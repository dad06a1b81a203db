using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Pages.Members;
using HocLamTheoBac.Web.Pages.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>
/// A province moves in from an EMPTY database, in a Vietnamese and an English Chromium: the first unit and
/// administrator from the command line (README), then in the browser a tree of 521 units and 1.040 members
/// from files, an account made with the unit picker, and its owner made to change the temporary password.
/// </summary>
[Collection("browser")]
public sealed class AdminMovingInTests(EmptyBrowserFixture app) : IClassFixture<EmptyBrowserFixture>
{
    private async Task Hlb(params string[] args)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { Assert.True(await CommandLine.RunAsync(args, new StringWriter(), config) == 0, err.ToString()); }
        finally { Console.SetError(old); }
    }

    private static string Write(string name, string text)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(file, text, new UTF8Encoding(true));
        return file;
    }

    [Theory]
    [InlineData("vi-VN", "BG")]
    [InlineData("en-US", "LS")]
    public async Task From_an_empty_database_the_administrator_imports_a_province_and_makes_accounts_whose_owners_change_the_temporary_password(string locale, string top)
    {
        await Hlb("orgs", "add", "--code", top, "--name", $"Tỉnh ủy {top}", "--kind", "tinh-uy", "--from", "01/07/2025");
        var adminEmail = $"quantri@{top.ToLowerInvariant()}.gov.vn";
        await Hlb("users", "add", "--email", adminEmail, "--role", "admin", "--org", top, "--password", "MatKhauManh2026");

        const int wards = 20, branches = 25, perBranch = 2;
        var units = new StringBuilder(string.Join(",", UnitImport.Columns) + "\n");
        for (var w = 1; w <= wards; w++)
        {
            units.Append($"{top}-P{w},Đảng ủy phường số {w},dang-uy-phuong-xa,,01/07/2025\n");
            for (var b = 1; b <= branches; b++)
                units.Append($"{top}-P{w}-CB{b},Chi bộ khu dân cư {b} phường {w},Chi bộ trực thuộc,{top}-P{w},01/07/2025\n");
        }
        var members = new StringBuilder(string.Join(",", MemberImport.Columns) + "\n");
        for (var w = 1; w <= wards; w++)
            for (var b = 1; b <= branches; b++)
                for (var k = 1; k <= perBranch; k++)
                {
                    var n = ((w * 100) + b) * 10 + k;
                    members.Append($"Đảng viên {top} {n},{1 + k:00}/0{1 + (b % 9)}/19{50 + (b % 25)},{(k == 1 ? "Nam" : "Nữ")},{top}{n:0000000},15/03/2000,15/03/2001,{(k == 1 ? "Bí thư chi bộ" : "Đảng viên")},{top}-P{w}-CB{b},09{n:00000000},,\n");
                }
        var unitFile = Write("don-vi.csv", units.ToString());
        var memberFile = Write("dang-vien.csv", members.ToString());
        try
        {
            var admin = await app.NewPageAsync(locale: locale);
            admin.Context.SetDefaultTimeout(180_000);
            await BrowserFixture.SignInAsync(admin, adminEmail, "MatKhauManh2026");
            var topId = await app.OrgIdAsync(top);
            await admin.GotoAsync($"/Orgs/Details/{topId}");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Nhập đơn vị từ tệp" }).ClickAsync();
            await admin.GetByLabel("Tệp .xlsx hoặc .csv (tối đa 10 MB)").SetInputFilesAsync(unitFile);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra và nhập" }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã nhập 520 đơn vị." })).ToBeVisibleAsync();
            Assert.Equal(521, await app.DbAsync(db => db.OrgUnits.CountAsync(u => u.Code == top || u.Code.StartsWith(top + "-"))));

            await admin.GotoAsync($"/Members/Import?org={topId}");
            await admin.GetByLabel("Tệp .xlsx hoặc .csv (tối đa 10 MB)").SetInputFilesAsync(memberFile);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra và nhập" }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Đã nhập {wards * branches * perBranch:#,##0} đảng viên.".Replace(",", ".") })).ToBeVisibleAsync();

            // An account for the secretary of one branch, the unit chosen with the picker.
            await admin.GotoAsync("/Users/Create");
            var email = $"bithu.p7cb3@{top.ToLowerInvariant()}.gov.vn";
            await admin.GetByLabel("Email đăng nhập").FillAsync(email);
            await admin.GetByLabel("Họ tên").FillAsync("Đảng viên bí thư");
            await admin.GetByLabel("Vai trò").SelectOptionAsync(new SelectOptionValue { Label = "Bí thư chi bộ" });
            var picker = admin.GetByLabel("Đơn vị (gõ tên hoặc mã để tìm)");
            Assert.Equal(1, await admin.Locator($"datalist#{await picker.GetAttributeAsync("list")} option[value='{top}-P7-CB3']").CountAsync());
            await picker.FillAsync($"{top}-P7-CB3");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Tạo tài khoản" }).ClickAsync();
            var password = (await admin.Locator("#temp-password").InnerTextAsync()).Trim();
            Assert.False(string.IsNullOrEmpty(password));

            var secretary = await app.NewPageAsync(390, 844, locale);
            secretary.Context.SetDefaultTimeout(120_000);
            await BrowserFixture.SignInAsync(secretary, email, password);
            var branchId = await app.OrgIdAsync($"{top}-P7-CB3");
            await secretary.GotoAsync($"/Pledges/Branch/{branchId}");
            await Assertions.Expect(secretary.Locator("#must-change")).ToBeVisibleAsync();
            await secretary.GetByRole(AriaRole.Region, new() { Name = "Đổi mật khẩu" }).GetByLabel("Mật khẩu hiện tại").FillAsync(password);
            await secretary.GetByLabel("Mật khẩu mới (ít nhất 10 ký tự").FillAsync("BiThuCB3MatKhau");
            await secretary.GetByLabel("Nhập lại mật khẩu mới").FillAsync("BiThuCB3MatKhau");
            await secretary.GetByRole(AriaRole.Button, new() { Name = "Đổi mật khẩu" }).ClickAsync();
            await Assertions.Expect(secretary.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã đổi mật khẩu." })).ToBeVisibleAsync();
            await secretary.GotoAsync($"/Pledges/Branch/{branchId}");
            await Assertions.Expect(secretary.GetByRole(AriaRole.Rowheader, new() { Name = $"Đảng viên {top} 7031 {top}0007031" })).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(secretary, $"moving-in-secretary-grid-{locale}");
        }
        finally
        {
            File.Delete(unitFile);
            File.Delete(memberFile);
        }
    }
}
