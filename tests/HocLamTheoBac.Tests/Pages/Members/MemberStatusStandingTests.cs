using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Members;

/// <summary>
/// Found in the figures: a member created as deceased got an open branch period, so the roll-up and the CSV counted 23
/// members where the unit page said 22 active. Only an active member stands in a branch (MemberStanding), on creation
/// as on every status change, and the kept aggregates stay equal to a count from scratch.
/// </summary>
public sealed class MemberStatusStandingTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<(int Active, int Standing)> CountsAsync(int branchId) => app.DbAsync(async db =>
    {
        var today = TestClock.Today;
        var active = await db.Members.CountAsync(m => m.BranchId == branchId && m.Status == MemberStatus.Active);
        var standing = await db.MemberBranchPeriods.Where(Membership.CoversDate(today)).Where(p => p.BranchId == branchId).Select(p => p.MemberId).Distinct().CountAsync();
        return (active, standing);
    });

    private Task<int> OpenPeriodsAsync(int memberId) => app.DbAsync(db => db.MemberBranchPeriods.CountAsync(p => p.MemberId == memberId && p.ValidTo == null));

    private async Task EditAsync(HttpClient client, int memberId, string status)
    {
        var version = await app.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Version).SingleAsync());
        var r = await client.PostFormAsync($"/Members/Edit/{memberId}", new()
        {
            ["Input.FullName"] = "Hà Văn Từ", ["Input.AdmittedOn"] = "2001-05-19", ["Input.Status"] = status, ["Input.Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, getUrl: $"/Members/Edit/{memberId}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    [Fact]
    public async Task A_member_created_or_set_not_active_stands_in_no_branch_and_set_active_again_stands_in_it()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var before = await CountsAsync(tdp2);
        Assert.Equal(before.Active, before.Standing);

        var r = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Hà Văn Từ", ["Input.AdmittedOn"] = "2001-05-19", ["Input.Status"] = "Deceased",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var id = await app.DbAsync(db => db.Members.Where(m => m.FullName == "Hà Văn Từ" && m.BranchId == tdp2).Select(m => m.Id).SingleAsync());
        Assert.Equal(0, await OpenPeriodsAsync(id));
        Assert.Equal(before, await CountsAsync(tdp2));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));

        await EditAsync(client, id, "Active");
        Assert.Equal(1, await OpenPeriodsAsync(id));
        Assert.Equal((before.Active + 1, before.Standing + 1), await CountsAsync(tdp2));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));

        await EditAsync(client, id, "Expelled");
        Assert.Equal(0, await OpenPeriodsAsync(id));
        Assert.Equal(before, await CountsAsync(tdp2));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
    }
}
