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

/// <summary>
/// The walk of session 16: adding a member (the form or the import) raised a closed year's count ("82,1 % (23/28)" became
/// "79,3 % (23/29)"). A member starts standing in a branch only after the last year closed for it.
/// </summary>
public sealed class MemberClosedYearTests(MemberClosedYearTests.Site app) : IClassFixture<MemberClosedYearTests.Site>
{
    /// <summary>A database of its own: the province's 2025 is closed.</summary>
    public sealed class Site : AppFactory;

    private async Task<int> CloseProvince2025Async() => await app.DbAsync(async db =>
    {
        var tq = await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync();
        var plan = await db.PlanYears.FirstOrDefaultAsync(p => p.OrgUnitId == tq && p.Year == 2025);
        if (plan is null) db.PlanYears.Add(plan = new HocLamTheoBac.Web.Domain.PlanYear { OrgUnitId = tq, Year = 2025, Theme = "Chuyên đề năm 2025" });
        plan.ClosedAt ??= DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
        return tq;
    });

    private const string MembersIn2025 = """
        SELECT count(DISTINCT p.member_id) FROM member_branch_periods p
        WHERE p.valid_from < DATE '2026-01-01' AND (p.valid_to IS NULL OR p.valid_to > DATE '2025-01-01')
        """;

    [Fact]
    public async Task A_member_added_by_form_or_import_after_2025_closed_does_not_change_2025_s_count()
    {
        await CloseProvince2025Async();
        var before = await TestDatabase.ScalarAsync<long>(app.ConnectionString, MembersIn2025);
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");

        // Typed in the closed year (or before it): refused with the first day it may be; nothing saved.
        var typed = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Vi Thị Khóa Sổ", ["Input.AdmittedOn"] = "2010-05-19", ["Input.JoinedOn"] = "2015-03-01", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.Contains("Ngày sinh hoạt tại chi bộ 01/03/2015 trước năm 2026: năm 2025 đã khóa sổ", WebUtility.HtmlDecode(await typed.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Members.AnyAsync(m => m.FullName == "Vi Thị Khóa Sổ")));

        // Left blank: the admission date would fall before; the member stands from the first open day.
        var blank = await client.PostFormAsync($"/Members/Edit?org={tdp2}", new()
        {
            ["Input.FullName"] = "Hà Văn Mới", ["Input.AdmittedOn"] = "2010-05-19", ["Input.Status"] = "Active",
        }, getUrl: $"/Members/Edit?org={tdp2}");
        Assert.Equal(HttpStatusCode.Redirect, blank.StatusCode);
        Assert.Equal(new DateOnly(2026, 1, 1), await app.DbAsync(db => db.MemberBranchPeriods.Where(p => db.Members.Any(m => m.Id == p.MemberId && m.FullName == "Hà Văn Mới")).Select(p => p.ValidFrom).SingleAsync()));

        // The import: a row in the closed year is a row error (all or nothing); a blank one starts on the first open day.
        var csv = "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức,Chức vụ,Mã chi bộ,Điện thoại,Email,Sinh hoạt tại chi bộ từ ngày\n"
                  + "Lò Văn Cũ,01/01/1980,Nam,66100001,19/05/2005,,,TQ-TP-PT-TDP2,,,01/01/2015\n";
        var refused = await UploadAsync(client, tdp2, csv, "cu.csv");
        Assert.Contains("hưa nhập đảng viên nào", refused);
        Assert.Contains("ngày sinh hoạt tại chi bộ 01/01/2015 trước năm 2026: năm 2025 đã khóa sổ", refused);
        Assert.False(await app.DbAsync(db => db.Members.AnyAsync(m => m.FullName == "Lò Văn Cũ")));
        Assert.Equal(before, await TestDatabase.ScalarAsync<long>(app.ConnectionString, MembersIn2025));
    }

    private static async Task<string> UploadAsync(HttpClient client, int org, string csv, string fileName)
    {
        var page = await client.HtmlAsync($"/Members/Import?org={org}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken");
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "Upload", fileName);
        var r = await client.PostAsync($"/Members/Import?org={org}", form);
        return WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_rule_moves_a_default_day_refuses_a_typed_one_and_names_the_closed_year_a_correction_would_cross()
    {
        var today = new DateOnly(2026, 11, 20);
        HashSet<int> closed = [2024, 2025];
        Assert.Equal((new DateOnly(2026, 1, 1), (string?)null), HocLamTheoBac.Web.Pages.Members.MemberValidation.StandsFrom(null, new DateOnly(2010, 5, 19), today, closed));
        Assert.NotNull(HocLamTheoBac.Web.Pages.Members.MemberValidation.StandsFrom(new DateOnly(2024, 6, 1), null, today, closed).Problem);
        Assert.Equal((new DateOnly(2026, 2, 1), (string?)null), HocLamTheoBac.Web.Pages.Members.MemberValidation.StandsFrom(new DateOnly(2026, 2, 1), null, today, closed));
        Assert.Equal(2025, HocLamTheoBac.Web.Pages.Members.MemberValidation.ClosedYearBetween(new DateOnly(2015, 1, 1), new DateOnly(2026, 1, 1), closed));
        Assert.Null(HocLamTheoBac.Web.Pages.Members.MemberValidation.ClosedYearBetween(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 1), closed));
    }
}
