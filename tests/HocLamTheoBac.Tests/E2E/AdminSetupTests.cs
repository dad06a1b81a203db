using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

[Collection("browser")]
public sealed class AdminSetupTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_administrator_sets_up_a_branch_and_its_secretary_who_imports_members_and_cannot_see_the_neighbours()
    {
        var admin = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "admin@hlb.local");
        var ward = await app.OrgIdAsync("TQ-TP-PT");
        await admin.GotoAsync($"/Orgs/Details/{ward}");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Thêm đơn vị trực thuộc" }).ClickAsync();
        await admin.GetByLabel("Tên đơn vị").FillAsync("Chi bộ Tổ dân phố 7");
        await admin.GetByLabel("Mã đơn vị").FillAsync("TQ-TP-PT-TDP7");
        await admin.GetByLabel("Loại tổ chức").SelectOptionAsync(new SelectOptionValue { Label = "Chi bộ trực thuộc" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Chi bộ Tổ dân phố 7" })).ToBeVisibleAsync();

        await admin.GotoAsync("/Users/Create");
        await admin.GetByLabel("Email đăng nhập").FillAsync("bithu7@hlb.local");
        await admin.GetByLabel("Họ tên").FillAsync("Nông Thị Hoa");
        await admin.GetByLabel("Vai trò").SelectOptionAsync(new SelectOptionValue { Label = "Bí thư chi bộ" });
        var picker = admin.GetByLabel("Đơn vị (gõ tên hoặc mã để tìm)");
        Assert.Equal(1, await admin.Locator($"datalist#{await picker.GetAttributeAsync("list")} option[value='TQ-TP-PT-TDP7']").CountAsync());
        await picker.FillAsync("TQ-TP-PT-TDP7");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Tạo tài khoản" }).ClickAsync();
        var password = (await admin.Locator("#temp-password").InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrEmpty(password));

        var file = Path.Combine(Path.GetTempPath(), $"dang-vien-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(file, TabularFile.WriteXlsx("Đảng viên", MemberImport.Columns,
        [
            ["Hà Văn Khải", "12/08/1968", "Nam", "66000001", "03/02/1995", "03/02/1996", "Bí thư chi bộ", "", "0987000001", ""],
            ["Lò Thị Mến", "05/11/1979", "Nữ", "66000002", "19/05/2005", "19/05/2006", "Đảng viên", "", "", ""],
            ["Sầm Văn Phúc", "21/01/1990", "Nam", "66000003", "02/09/2025", "", "Đảng viên", "", "", ""],
        ]));
        var secretary = await app.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(secretary, "bithu7@hlb.local", password);
        // A temporary password: every page leads to the password form until it is changed.
        await secretary.GotoAsync("/Members");
        await Assertions.Expect(secretary.Locator("#must-change")).ToBeVisibleAsync();
        await secretary.GetByRole(AriaRole.Region, new() { Name = "Đổi mật khẩu" }).GetByLabel("Mật khẩu hiện tại").FillAsync(password);
        await secretary.GetByLabel("Mật khẩu mới (ít nhất 10 ký tự").FillAsync("HoaTDP7MatKhau");
        await secretary.GetByLabel("Nhập lại mật khẩu mới").FillAsync("HoaTDP7MatKhau");
        await secretary.GetByRole(AriaRole.Button, new() { Name = "Đổi mật khẩu" }).ClickAsync();
        await Assertions.Expect(secretary.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã đổi mật khẩu." })).ToBeVisibleAsync();
        await secretary.GotoAsync("/Members");
        await secretary.GetByRole(AriaRole.Link, new() { Name = "Nhập từ tệp Excel/CSV" }).ClickAsync();
        await secretary.GetByLabel("Tệp .xlsx hoặc .csv (tối đa 10 MB)").SetInputFilesAsync(file);
        await secretary.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra và nhập" }).ClickAsync();
        await Assertions.Expect(secretary.GetByText("Đã nhập 3 đảng viên.")).ToBeVisibleAsync();
        await Assertions.Expect(secretary.GetByRole(AriaRole.Link, new() { Name = "Lò Thị Mến" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(secretary, "secretary-members-phone");

        var neighbour = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var response = await secretary.GotoAsync($"/Members?org={neighbour}");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(secretary.GetByRole(AriaRole.Heading, new() { Name = "Không tìm thấy trang" })).ToBeVisibleAsync();
        File.Delete(file);
    }
}
