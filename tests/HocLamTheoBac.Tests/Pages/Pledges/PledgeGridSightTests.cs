using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// A member who moved away stays on the old branch's grid for the pledge left there; the pledges they register in their
/// new branch are outside the old secretary's sight (AccessService.Pledges) and must not reach the old branch's grid.
/// </summary>
public sealed class PledgeGridSightTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_old_branch_s_grid_shows_the_pledge_left_there_but_not_those_registered_in_the_new_branch()
    {
        var (tdp1, tdp2) = (await app.OrgIdAsync("TQ-TP-PT-TDP1"), await app.OrgIdAsync("TQ-TP-PT-TDP2"));
        var m = (await app.MembersAsync("TQ-TP-PT-TDP1"))[16];
        await app.AddPledgeAsync(m.Id, PledgeStatus.Approved, "Việc để lại ở chi bộ cũ");
        await app.DbAsync(async db =>
        {
            var x = await db.Members.SingleAsync(y => y.Id == m.Id);
            await HocLamTheoBac.Web.Data.MemberTransfers.TransferAsync(db, x, tdp2, TestClock.Today, default);
            await db.SaveChangesAsync();
        });
        await app.AddPledgeAsync(m.Id, PledgeStatus.Draft, "Việc riêng đăng ký ở chi bộ mới");

        var oldSecretary = await app.SignedInAsync("bithu@hlb.local");
        var pages = new List<string>();
        for (var pg = 1; pg <= 3; pg++) pages.Add(await oldSecretary.HtmlAsync($"/Pledges/Branch/{tdp1}?year={PledgeData.Year}&pg={pg}"));
        Assert.Contains(pages, h => h.Contains("Việc để lại ở chi bộ cũ"));
        Assert.All(pages, h => Assert.DoesNotContain("Việc riêng đăng ký ở chi bộ mới", h));

        var newSecretary = await app.SignedInAsync("bithu2@hlb.local");
        var grid2 = await newSecretary.HtmlAsync($"/Pledges/Branch/{tdp2}?year={PledgeData.Year}");
        Assert.Contains("Việc riêng đăng ký ở chi bộ mới", grid2);
    }
}
