using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;

namespace HocLamTheoBac.Tests.Pages.Collective;

public sealed class CollectivePlanTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    [Fact]
    public async Task The_collective_plan_shows_what_is_missing_until_the_minimum_contents_are_there()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var c = await app.SignedInAsync("bithu@hlb.local");
        var url = $"/Collective/Unit/{tdp1}?year={Y}";
        var html = await c.HtmlAsync(url);
        Assert.Contains("Kế hoạch còn thiếu", html);
        Assert.Contains("Chưa có nội dung nêu gương.", html);

        foreach (var (cat, what) in new[] { ("Study", "Học tập chuyên đề năm"), ("Follow", "Làm theo: giữ gìn vệ sinh khu phố"), ("Example", "Cấp ủy viên nêu gương"), ("Creative", "Ngày Chủ nhật xanh") })
            Assert.Equal(HttpStatusCode.Redirect, (await c.PostFormAsync($"/Collective/Unit/{tdp1}?year={Y}&handler=Save", new() { ["Input.Category"] = cat, ["Input.What"] = what, ["Input.Status"] = "Registered" }, url)).StatusCode);
        html = await c.HtmlAsync(url);
        Assert.Contains("Chưa có vấn đề bức xúc, nổi cộm cần giải quyết (cần 1–2).", html);
        Assert.DoesNotContain("Chưa có nội dung nêu gương.", html);

        await c.PostFormAsync($"/Collective/Unit/{tdp1}?year={Y}&handler=Save", new() { ["Input.Category"] = "PressingProblem", ["Input.What"] = "Rác thải ở bờ sông", ["Input.Lead"] = "Bí thư chi bộ", ["Input.Status"] = "Registered" }, url);
        html = await c.HtmlAsync(url);
        Assert.Contains("Kế hoạch đã có đủ các nội dung tối thiểu.", html);
    }

    [Fact]
    public async Task A_sibling_branch_secretary_gets_404_for_another_branchs_collective_plan()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var other = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Collective/Unit/{tdp1}?year={Y}")).StatusCode);
        var r = await other.PostFormAsync($"/Collective/Unit/{tdp1}?year={Y}&handler=Save", new() { ["Input.Category"] = "Study", ["Input.What"] = "Không được" }, "/Pledges");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }
}
