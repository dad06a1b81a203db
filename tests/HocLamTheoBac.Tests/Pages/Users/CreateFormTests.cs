using System.Net;
using HocLamTheoBac.Tests.Infrastructure;

namespace HocLamTheoBac.Tests.Pages.Users;

public sealed class CreateFormTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_refused_new_account_shows_every_typed_value_again_with_the_wrong_boxes_marked()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.PostFormAsync("/Users/Create", new()
        {
            ["Input.Email"] = "khong-phai-email", ["Input.FullName"] = "Nguyễn Văn Mới",
            ["Input.Binding.Role"] = "Secretary", ["Input.Binding.OrgCode"] = "TQ-TP-PT-TDP1", ["Input.Binding.MemberCardNumber"] = "55501234",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("value=\"khong-phai-email\"", html);
        Assert.Contains("<option value=\"Secretary\" selected>", html);
        Assert.Contains("value=\"TQ-TP-PT-TDP1\"", html);
        Assert.Contains("value=\"55501234\"", html);
        Assert.Contains("Không có đảng viên số thẻ 55501234", html);
        Assert.Matches("name=\"Input.Binding.MemberCardNumber\"[^>]*class=\"form-control is-invalid\" aria-invalid=\"true\"", html);
        Assert.DoesNotMatch("name=\"Input.Binding.OrgCode\"[^>]*is-invalid", html);
    }

    [Fact]
    public async Task An_unknown_unit_and_an_unknown_card_number_are_reported_together()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.PostFormAsync("/Users/Create", new()
        {
            ["Input.Email"] = "moi.tao@hlb.local", ["Input.FullName"] = "Nguyễn Văn Mới",
            ["Input.Binding.Role"] = "Member", ["Input.Binding.OrgCode"] = "KHONG-CO-MA-NAY", ["Input.Binding.MemberCardNumber"] = "00000000",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Không có đơn vị mã KHONG-CO-MA-NAY trong phạm vi quản lý của bạn.", html);
        Assert.Contains("Không có đảng viên số thẻ 00000000 trong phạm vi quản lý của bạn.", html);
        Assert.Contains("<option value=\"Member\" selected>", html);
        Assert.DoesNotContain("temp-password", html);
    }
}
