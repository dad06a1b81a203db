using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>The walk of session 17: a dissolved unit's code was "not in your subtree".</summary>
    [Fact]
    public async Task A_role_at_a_dissolved_unit_is_refused_saying_it_was_dissolved()
    {
        await app.DbAsync(async db =>
        {
            var ys = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-YS");
            var kind = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP1").Select(u => u.KindId).SingleAsync();
            var closed = await db.AddUnitAsync(ys, kind, "TQ-YS-GT", "Chi bộ đã giải thể", new DateOnly(2020, 1, 1), default);
            closed.ClosedOn = new DateOnly(2025, 7, 1);
            await db.SaveChangesAsync();
        });
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.PostFormAsync("/Users/Create", new()
        {
            ["Input.Email"] = "giai.the@hlb.local", ["Input.FullName"] = "Người Thử", ["Input.Binding.Role"] = "Staff", ["Input.Binding.OrgCode"] = "TQ-YS-GT",
        });
        Assert.Contains("Chi bộ đã giải thể (mã TQ-YS-GT) đã giải thể hoặc hợp nhất từ ngày 01/07/2025", System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Email == "giai.the@hlb.local")));
    }

    /// <summary>The walk of session 17: a database older than the program printed "42703: column … does not exist".</summary>
    [Fact]
    public void A_missing_column_or_table_says_to_run_migrate()
    {
        var e = new Npgsql.PostgresException("column i.deleted_at does not exist", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.UndefinedColumn);
        Assert.StartsWith("cơ sở dữ liệu chưa được cập nhật cho phiên bản này của chương trình: hãy chạy “hlb migrate”", HocLamTheoBac.Web.Infrastructure.Startup.OneLine(new InvalidOperationException("x", e)));
        Assert.DoesNotContain("hlb migrate", HocLamTheoBac.Web.Infrastructure.Startup.OneLine(new Npgsql.PostgresException("x", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.UniqueViolation)));
    }
}
