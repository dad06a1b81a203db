using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Quotas;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Quotas;

public sealed class QuotaTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<int> KindIdAsync(string code) => app.DbAsync(db => db.OrgKinds.Where(k => k.Code == code).Select(k => k.Id).SingleAsync());

    private Task AddModelsAsync(string unitCode, int year, int collective, int exemplar, ExemplaryModelStatus status = ExemplaryModelStatus.Registered) =>
        app.DbAsync(async db =>
        {
            var unitId = await db.OrgUnits.Where(u => u.Code == unitCode).Select(u => u.Id).SingleAsync();
            var member = await db.Members.Where(m => m.BranchId == unitId).Select(m => (int?)m.Id).FirstOrDefaultAsync();
            for (var i = 0; i < collective; i++) db.Models.Add(new ExemplaryModel { OrgUnitId = unitId, Year = year, Kind = ExemplaryModelKind.Collective, Title = $"Mô hình {i}", Status = status });
            for (var i = 0; i < exemplar; i++) db.Models.Add(new ExemplaryModel { OrgUnitId = unitId, Year = year, Kind = ExemplaryModelKind.Exemplar, Title = $"Điển hình {i}", MemberId = member, Status = status });
            await db.SaveChangesAsync();
        });

    private Task SetQuotaAsync(string setterCode, int year, string kindCode, int c, int e) =>
        app.DbAsync(async db =>
        {
            var setter = await db.OrgUnits.Where(u => u.Code == setterCode).Select(u => u.Id).SingleAsync();
            var kind = await db.OrgKinds.Where(k => k.Code == kindCode).Select(k => k.Id).SingleAsync();
            db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = setter, Year = year, OrgKindId = kind, MinCollective = c, MinExemplar = e });
            await db.SaveChangesAsync();
        });

    [Fact]
    public async Task City_staff_set_a_branch_quota_and_the_overview_lists_the_branch_that_is_short_but_not_the_one_that_meets_it()
    {
        const int year = 2024;
        await AddModelsAsync("TQ-TP-PT-TDP1", year, 1, 2);
        await AddModelsAsync("TQ-TP-PT-TDP2", year, 1, 0);
        var tp = await app.OrgIdAsync("TQ-TP");
        var branchKind = await KindIdAsync("chi-bo-truc-thuoc");
        var wardKind = await KindIdAsync("dang-uy-phuong-xa");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var form = await client.HtmlAsync($"/Quotas?unitId={tp}&year={year}");
        Assert.Contains("Giao chỉ tiêu cho các đơn vị trực thuộc", form);

        var fields = new Dictionary<string, string>();
        var rows = new[] { (wardKind, "3", "4"), (branchKind, "1", "2") };
        for (var i = 0; i < rows.Length; i++)
        {
            fields[$"Input[{i}].KindId"] = rows[i].Item1.ToString();
            fields[$"Input[{i}].MinCollective"] = rows[i].Item2;
            fields[$"Input[{i}].MinExemplar"] = rows[i].Item3;
        }
        var r = await client.PostFormAsync($"/Quotas?unitId={tp}&year={year}", fields);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);

        var html = await client.HtmlAsync($"/Quotas?unitId={tp}&year={year}");
        var shortList = html[html.IndexOf("id=\"short-units\"", StringComparison.Ordinal)..];
        shortList = shortList[..shortList.IndexOf("</ul>", StringComparison.Ordinal)];
        Assert.Contains("Chi bộ Tổ dân phố 2: thiếu 0 mô hình, 2 điển hình", shortList);
        Assert.Contains("Đảng ủy phường Phan Thiết: thiếu 3 mô hình, 4 điển hình", shortList);
        Assert.Contains("Chi bộ Tổ dân phố 5", shortList);
        Assert.DoesNotContain("Chi bộ Tổ dân phố 1", shortList);
        Assert.DoesNotContain("Thành ủy Tuyên Quang", shortList);

        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        Assert.Contains("Đã đạt chỉ tiêu do Thành ủy Tuyên Quang giao.", await client.HtmlAsync($"/Models?unitId={tdp1}&year={year}"));
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        Assert.Contains("còn thiếu 0 mô hình và 2 điển hình", await client.HtmlAsync($"/Models?unitId={tdp2}&year={year}"));
    }

    /// <summary>The walk of session 19: a quota of 99999999999 was answered with the framework's "Giá trị '99999999999' không hợp lệ.".</summary>
    [Fact]
    public async Task A_quota_too_large_or_not_whole_is_said_in_words_and_the_typed_values_are_kept()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var branchKind = await KindIdAsync("chi-bo-truc-thuoc");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Quotas?unitId={tp}&year=2022", new()
        {
            ["Input[0].KindId"] = branchKind.ToString(), ["Input[0].MinCollective"] = "99999999999", ["Input[0].MinExemplar"] = "1,5",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("Số “99999999999” quá lớn: vui lòng nhập số nhỏ hơn.", html);
        Assert.Contains("“1,5” không phải số nguyên: vui lòng nhập số nguyên, không có dấu chấm hay dấu phẩy, ví dụ 12.", html);
        Assert.DoesNotContain("Giá trị '", html);
        Assert.Contains("value=\"99999999999\"", html);
        Assert.False(await app.DbAsync(db => db.ModelQuotas.AnyAsync(q => q.SetByOrgUnitId == tp && q.Year == 2022)));
    }

    /// <summary>The walk of session 20: "1.200" (one thousand two hundred in vi-VN) was called "không phải số nguyên", and
    /// "-99999999999" got only "không hợp lệ".</summary>
    [Fact]
    public async Task A_quota_typed_with_thousands_points_or_far_below_zero_is_said_in_words()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var branchKind = await KindIdAsync("chi-bo-truc-thuoc");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Quotas?unitId={tp}&year=2022", new()
        {
            ["Input[0].KindId"] = branchKind.ToString(), ["Input[0].MinCollective"] = "1.200", ["Input[0].MinExemplar"] = "-99999999999",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("“1.200” có dấu chấm ngăn cách hàng nghìn: vui lòng nhập liền các chữ số, không có dấu chấm, ví dụ 1200.", html);
        Assert.Contains("Số “-99999999999” quá nhỏ: vui lòng nhập số lớn hơn.", html);
        Assert.DoesNotContain("không phải số nguyên", html);
        Assert.Contains("value=\"1.200\"", html);
        Assert.False(await app.DbAsync(db => db.ModelQuotas.AnyAsync(q => q.SetByOrgUnitId == tp && q.Year == 2022)));
    }

    [Fact]
    public async Task The_quota_of_the_nearest_committee_overrides_the_one_set_higher_up_and_not_achieved_models_do_not_count()
    {
        const int year = 2023;
        await SetQuotaAsync("TQ", year, "chi-bo-truc-thuoc", 2, 2);
        await SetQuotaAsync("TQ-TP-PT", year, "chi-bo-truc-thuoc", 1, 0);
        await AddModelsAsync("TQ-TP-PT-TDP1", year, 1, 0);
        await AddModelsAsync("TQ-TP-PT-TDP2", year, 1, 0, ExemplaryModelStatus.NotAchieved);
        await AddModelsAsync("TQ-TP-MX-TDP5", year, 1, 0);
        var rows = await app.DbAsync(async db =>
        {
            var root = await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Path).SingleAsync();
            return await QuotaStatusQuery.RunAsync(db, root, year, CancellationToken.None);
        });
        var byCode = rows.ToDictionary(r => r.Code);
        Assert.Equal(11, rows.Count);
        Assert.Equal((1, 0, false), (byCode["TQ-TP-PT-TDP1"].MinCollective!.Value, byCode["TQ-TP-PT-TDP1"].MinExemplar!.Value, byCode["TQ-TP-PT-TDP1"].IsShort));
        Assert.True(byCode["TQ-TP-PT-TDP2"].IsShort);
        Assert.Equal(0, byCode["TQ-TP-PT-TDP2"].Collective);
        Assert.Equal((2, true), (byCode["TQ-TP-MX-TDP5"].MinCollective!.Value, byCode["TQ-TP-MX-TDP5"].IsShort));
        Assert.Equal("Đảng ủy phường Phan Thiết", byCode["TQ-TP-PT-TDP1"].SetByName);
        Assert.False(byCode["TQ-YS-THCS"].HasQuota);
        Assert.False(byCode["TQ-YS-THCS"].IsShort);
    }

    [Fact]
    public async Task A_branch_secretary_sees_her_quota_status_but_cannot_set_quotas()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var html = await client.HtmlAsync($"/Quotas?unitId={tdp1}&year=2022");
        Assert.DoesNotContain("Lưu chỉ tiêu", html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Quotas?unitId={pt}&year=2022")).StatusCode);
        var post = await client.PostFormAsync($"/Quotas?unitId={tdp1}&year=2022", new() { ["Input[0].KindId"] = "1", ["Input[0].MinCollective"] = "0", ["Input[0].MinExemplar"] = "0" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.False(await app.DbAsync(db => db.ModelQuotas.AnyAsync(q => q.Year == 2022)));
    }

    [Fact]
    public async Task A_quota_with_only_one_number_is_refused_with_a_clear_message()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var branchKind = await KindIdAsync("chi-bo-truc-thuoc");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Quotas?unitId={tp}&year=2021", new() { ["Input[0].KindId"] = branchKind.ToString(), ["Input[0].MinCollective"] = "1" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("nhập cả hai chỉ tiêu", await r.Content.ReadAsStringAsync());
        var bad = await client.PostFormAsync($"/Quotas?unitId={tp}&year=2021", new() { ["Input[0].KindId"] = branchKind.ToString(), ["Input[0].MinCollective"] = "abc", ["Input[0].MinExemplar"] = "1" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("không hợp lệ", await bad.Content.ReadAsStringAsync());
    }
}
