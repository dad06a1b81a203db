using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Members;

/// <summary>"Sinh hoạt tại chi bộ từ ngày": a member added today can still count in the years before.</summary>
public sealed class MemberJoinDateTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_new_member_s_branch_period_starts_on_the_join_date_or_else_on_the_admission_date()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Lục Thị Xuân", ["Input.AdmittedOn"] = "2012-05-19", ["Input.JoinedOn"] = "2024-03-01", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        r = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Triệu Văn Lâm", ["Input.AdmittedOn"] = "2015-09-02", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var periods = await app.DbAsync(db => db.MemberBranchPeriods.Where(p => p.BranchId == tdp2 && db.Members.Any(m => m.Id == p.MemberId && (m.FullName == "Lục Thị Xuân" || m.FullName == "Triệu Văn Lâm")))
            .OrderBy(p => p.ValidFrom).Select(p => p.ValidFrom).ToListAsync());
        Assert.Equal([new DateOnly(2015, 9, 2), new DateOnly(2024, 3, 1)], periods);

        var bad = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Người Sai Ngày", ["Input.AdmittedOn"] = "2020-01-01", ["Input.JoinedOn"] = "2019-01-01", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Contains("Ngày sinh hoạt tại chi bộ không được trước ngày vào Đảng.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
    }
}
