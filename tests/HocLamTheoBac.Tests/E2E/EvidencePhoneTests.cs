using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>Issue 14: a member on a 390×844 phone attaches evidence before reporting done and removes it again; every control ≥ 44 px.</summary>
[Collection("browser")]
public sealed class EvidencePhoneTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static async Task AssertTappableAsync(ILocator control, string what)
    {
        var box = await control.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Height >= 44 && box.Width >= 44, $"{what}: {box.Width}×{box.Height} px");
    }

    [Fact]
    public async Task A_member_on_a_phone_attaches_evidence_to_an_approved_pledge_and_removes_it()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.Approved, "Minh chứng gửi từ điện thoại");
        var page = await app.NewPageAsync(390, 844);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await BrowserFixture.SignInAsync(page, "dangvien@hlb.local");
        await page.GotoAsync($"/Pledges/Details/{id}");

        var upload = page.GetByRole(AriaRole.Button, new() { Name = "Tải lên", Exact = true });
        await AssertTappableAsync(page.Locator("#file"), "file input");
        await AssertTappableAsync(upload, "upload button");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "anh-sinh-hoat.png", MimeType = "image/png", Buffer = png });
        await upload.ClickAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = "anh-sinh-hoat.png", Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Đã tải lên minh chứng.")).ToBeVisibleAsync();
        Assert.Equal(PledgeStatus.Approved, (await app.PledgeAsync(id)).Status);
        var remove = page.GetByRole(AriaRole.Button, new() { Name = "Gỡ tệp anh-sinh-hoat.png" });
        await AssertTappableAsync(link, "file link");
        await AssertTappableAsync(remove, "remove button");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(page, "evidence-phone");

        await remove.ClickAsync();
        await Assertions.Expect(page.GetByText("Chưa có tệp minh chứng.")).ToBeVisibleAsync();
        await Assertions.Expect(link).ToHaveCountAsync(0);
        Assert.Equal(0, await app.DbAsync(db => db.PledgeEvidence.CountAsync(e => e.PledgeId == id)));
    }
}
