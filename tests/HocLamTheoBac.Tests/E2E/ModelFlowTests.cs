using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

[Collection("browser")]
public sealed class ModelFlowTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const int Year = 2025;

    private async Task CreateStaffAtAsync(string email, string unitCode)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, FullName = "Văn phòng Đảng ủy phường Phan Thiết" };
        var result = await users.CreateAsync(user, DemoSeeder.DemoPassword);
        Assert.True(result.Succeeded);
        var unitId = await db.OrgUnits.Where(u => u.Code == unitCode).Select(u => u.Id).SingleAsync();
        db.RoleBindings.Add(new RoleBinding { UserId = user.Id, Role = AppRole.Staff, OrgUnitId = unitId, GrantedAt = TestClock.Calendar.Now });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_ward_committee_registers_a_model_a_neighbouring_ward_replicates_it_and_the_overviews_show_the_quota_status()
    {
        await CreateStaffAtAsync("vanphong.pt@hlb.local", "TQ-TP-PT");
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var mx = await app.OrgIdAsync("TQ-TP-MX");
        var tp = await app.OrgIdAsync("TQ-TP");

        // The city committee sets the quota for ward committees: 1 collective model and 1 exemplar.
        var city = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(city, "tuyengiao.tp@hlb.local");
        await city.GotoAsync($"/Quotas?unitId={tp}&year={Year}");
        await city.GetByLabel("Mô hình tối thiểu – Đảng ủy phường, xã").FillAsync("1");
        await city.GetByLabel("Điển hình tối thiểu – Đảng ủy phường, xã").FillAsync("1");
        await city.GetByRole(AriaRole.Button, new() { Name = "Lưu chỉ tiêu" }).ClickAsync();
        await Assertions.Expect(city.GetByRole(AriaRole.Status)).ToContainTextAsync($"Đã lưu chỉ tiêu năm {Year}.");

        // The ward committee registers its model (on a phone-sized screen).
        var ward = await app.NewPageAsync(360, 780);
        await BrowserFixture.SignInAsync(ward, "vanphong.pt@hlb.local");
        await ward.GotoAsync($"/Models?unitId={pt}&year={Year}");
        await Assertions.Expect(ward.Locator("#unit-quota")).ToContainTextAsync("0 / chỉ tiêu 1");
        await ward.GetByRole(AriaRole.Link, new() { Name = "Đăng ký mô hình, điển hình" }).ClickAsync();
        await ward.GetByLabel("Tên mô hình, điển hình").FillAsync("Tuyến phố văn minh, sạch đẹp");
        await ward.GetByLabel("Lĩnh vực").FillAsync("Môi trường đô thị");
        await ward.GetByLabel("Ngày bắt đầu").FillAsync("2025-03-26");
        await ward.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
        await Assertions.Expect(ward.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã đăng ký “Tuyến phố văn minh, sạch đẹp”.");
        await Assertions.Expect(ward.Locator("#models-table")).ToContainTextAsync("Tuyến phố văn minh, sạch đẹp");
        await Assertions.Expect(ward.Locator("#unit-quota")).ToContainTextAsync("1 / chỉ tiêu 1");
        await Assertions.Expect(ward.GetByText("còn thiếu 0 mô hình và 1 điển hình")).ToBeVisibleAsync();

        // The neighbouring ward (Minh Xuân) records that it applies the model.
        await city.GotoAsync($"/Models?unitId={mx}&year={Year}");
        await city.GetByRole(AriaRole.Link, new() { Name = "Ghi nhận nhân rộng mô hình" }).ClickAsync();
        await city.GetByLabel("Mô hình được nhân rộng").SelectOptionAsync(new SelectOptionValue { Label = $"Tuyến phố văn minh, sạch đẹp – Đảng ủy phường Phan Thiết ({Year})" });
        await city.GetByLabel("Ngày bắt đầu áp dụng").FillAsync("2025-06-01");
        await city.GetByLabel("Ghi chú").FillAsync("Áp dụng tại 3 tổ dân phố");
        await city.GetByRole(AriaRole.Button, new() { Name = "Ghi nhận" }).ClickAsync();
        await Assertions.Expect(city.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã ghi nhận nhân rộng mô hình.");
        await Assertions.Expect(city.Locator("#replications-list")).ToContainTextAsync("Tuyến phố văn minh, sạch đẹp (Đảng ủy phường Phan Thiết)");

        // The ward sees the replication counted on its model.
        await ward.GotoAsync($"/Models?unitId={pt}&year={Year}");
        await ward.GetByRole(AriaRole.Link, new() { Name = "Tuyến phố văn minh, sạch đẹp" }).ClickAsync();
        await Assertions.Expect(ward.Locator("#replication-count")).ToHaveTextAsync("1");
        await Assertions.Expect(ward.Locator("#replications-outside")).ToContainTextAsync("Có 1 đơn vị ngoài phạm vi bạn được xem");

        // The city committee's overview lists who is short of the quota.
        await city.GotoAsync($"/Quotas?unitId={tp}&year={Year}");
        var shortList = city.Locator("#short-units");
        await Assertions.Expect(shortList).ToContainTextAsync("Đảng ủy phường Phan Thiết: thiếu 0 mô hình, 1 điển hình");
        await Assertions.Expect(shortList).ToContainTextAsync("Đảng ủy phường Minh Xuân: thiếu 1 mô hình, 1 điển hình");
        await Assertions.Expect(city.Locator("#quota-status")).ToContainTextAsync("Chưa đạt");
        await Assertions.Expect(city.Locator(".validation-summary-valid")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(city, "quota-overview");
        await BrowserFixture.ScreenshotAsync(ward, "model-details-phone");

        // The ward committee's own overview shows its status against the city's quota.
        await ward.GotoAsync($"/Quotas?unitId={pt}&year={Year}");
        await Assertions.Expect(ward.Locator("#quota-status tbody tr").First).ToContainTextAsync("Chưa đạt");
    }
}
