using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Commendations;

public sealed class CommendationAndIndicatorTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_committee_records_a_certificate_to_a_branch_and_a_praise_to_a_member_linked_to_a_model()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var (member, model) = await app.DbAsync(async db =>
        {
            var m = new ExemplaryModel { OrgUnitId = tdp1, Year = 2025, Kind = ExemplaryModelKind.Collective, Title = "Hũ gạo tình thương" };
            db.Models.Add(m);
            await db.SaveChangesAsync();
            return (await db.Members.Where(x => x.BranchId == tdp1).Select(x => x.Id).FirstAsync(), m.Id);
        });
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r1 = await client.PostFormAsync($"/Commendations/Create?unitId={pt}&year=2025", new()
        {
            ["Input.Level"] = "2", ["Input.RecipientOrgUnitId"] = tdp1.ToString(), ["Input.IssuingBody"] = "Đảng ủy phường Phan Thiết",
            ["Input.DecisionNumber"] = "125-QĐ/ĐU", ["Input.DecisionDate"] = "2025-12-15", ["Input.ModelId"] = model.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, r1.StatusCode);
        var r2 = await client.PostFormAsync($"/Commendations/Create?unitId={pt}&year=2025", new()
        {
            ["Input.Level"] = "1", ["Input.RecipientMemberId"] = member.ToString(), ["Input.IssuingBody"] = "Đảng ủy phường Phan Thiết",
        });
        Assert.Equal(HttpStatusCode.Redirect, r2.StatusCode);
        var both = await client.PostFormAsync($"/Commendations/Create?unitId={pt}&year=2025", new()
        {
            ["Input.Level"] = "1", ["Input.RecipientMemberId"] = member.ToString(), ["Input.RecipientOrgUnitId"] = tdp1.ToString(), ["Input.IssuingBody"] = "X",
        });
        Assert.Contains("không chọn cả hai", await both.Content.ReadAsStringAsync());

        var html = await client.HtmlAsync($"/Commendations?unitId={pt}&year=2025");
        Assert.Contains("1 tập thể và 1 cá nhân được biểu dương, khen thưởng.", html);
        Assert.Contains("125-QĐ/ĐU ngày 15/12/2025", html);
        Assert.Contains("mô hình: Hũ gạo tình thương", html);
    }

    [Fact]
    public async Task A_secretary_cannot_commend_a_unit_outside_her_branch_nor_open_a_sibling_branch_list()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Commendations/Create?unitId={tdp1}&year=2025", new() { ["Input.Level"] = "1", ["Input.RecipientOrgUnitId"] = tdp2.ToString(), ["Input.IssuingBody"] = "Chi bộ" });
        Assert.Contains("Tập thể đã chọn không thuộc đơn vị này.", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Commendations?unitId={tdp2}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Commendations/Create?unitId={tdp2}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Indicators?unitId={tdp2}")).StatusCode);
        Assert.False(await app.DbAsync(db => db.Commendations.AnyAsync(c => c.RecipientOrgUnitId == tdp2)));
    }

    [Fact]
    public async Task A_unit_reports_free_named_numbers_read_the_Vietnamese_way_and_saving_the_same_name_updates_it()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        foreach (var (name, value) in new[] { ("Số lượt tiếp công dân", "735"), ("Đơn thư tiếp nhận", "816"), ("Đơn thư đã giải quyết", "770"), ("Đơn thư đã giải quyết", "774"), ("Tỷ lệ hài lòng", "97,8") })
        {
            var r = await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = name, ["Input.Value"] = value });
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        }
        var bad = await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Sai", ["Input.Value"] = "nhiều" });
        Assert.Contains("Giá trị phải là một số", await bad.Content.ReadAsStringAsync());
        // The walk of session 16: "1.5" was saved as 15 and "1.2.3" as 123; a dot groups thousands, three digits each.
        foreach (var typed in new[] { "1.5", "1.2.3", "12.34", "1,2,3" })
        {
            bad = await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Sai", ["Input.Value"] = typed });
            Assert.Contains("Giá trị phải là một số, ví dụ 1.197 hoặc 12,5.", await bad.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Kinh phí", ["Input.Value"] = "1.234.567,5" })).StatusCode);
        Assert.Equal(1234567.5m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Name == "Kinh phí").Select(i => i.Value).SingleAsync()));

        var html = await client.HtmlAsync($"/Indicators?unitId={tp}&year=2025");
        Assert.Contains("774", html);
        Assert.DoesNotContain(">770<", html);
        Assert.Contains("97,8", html);
        Assert.Equal(5, await app.DbAsync(db => db.IndicatorValues.CountAsync(i => i.OrgUnitId == tp)));
        Assert.Equal(97.8m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Name == "Tỷ lệ hài lòng").Select(i => i.Value).SingleAsync()));
    }
}
