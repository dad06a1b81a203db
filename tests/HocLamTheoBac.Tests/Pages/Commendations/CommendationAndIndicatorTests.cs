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
    public async Task A_decision_dated_after_today_is_refused_with_its_date_and_the_typed_text_stays()
    {
        // The walk of session 19: a praise "decided" on 15/12/2099 was recorded, listed and printed on the member's sheet.
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var member = await app.DbAsync(db => db.Members.Where(x => x.BranchId == tdp1).Select(x => x.Id).FirstAsync());
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Commendations/Create?unitId={tdp1}&year=2026", new()
        {
            ["Input.Level"] = "1", ["Input.RecipientMemberId"] = member.ToString(), ["Input.IssuingBody"] = "Chi bộ Tổ dân phố 1",
            ["Input.DecisionDate"] = "15/12/2099", ["Input.Reason"] = "Lý do gõ trước khi bị từ chối",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Ngày quyết định 15/12/2099 không được sau ngày hôm nay (20/11/2026).", html);
        Assert.Contains("Lý do gõ trước khi bị từ chối", html);
        Assert.False(await app.DbAsync(db => db.Commendations.AnyAsync(c => c.RecipientMemberId == member && c.DecisionDate == new DateOnly(2099, 12, 15))));
        // Today itself is a day that has come.
        var today = await client.PostFormAsync($"/Commendations/Create?unitId={tdp1}&year=2026", new()
        {
            ["Input.Level"] = "1", ["Input.RecipientMemberId"] = member.ToString(), ["Input.IssuingBody"] = "Chi bộ Tổ dân phố 1", ["Input.DecisionDate"] = "20/11/2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, today.StatusCode);
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
        // The walk of session 18: 0,0000000001 was stored and shown as "0"; a value carries at most the two decimals shown.
        bad = await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Rất nhỏ", ["Input.Value"] = "0,0000000001" });
        Assert.Contains("Giá trị chỉ được có tối đa 2 chữ số sau dấu phẩy, ví dụ 12,75.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.Contains("value=\"0,0000000001\"", await bad.Content.ReadAsStringAsync());
        // The walk of session 20: a number too large for the field (29 nines, or 20 digits grouped by points) was told it is not a number.
        foreach (var typed in new[] { "99999999999999999999999999999", "10.000.000.000.000.000.000" })
        {
            bad = await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Quá lớn", ["Input.Value"] = typed });
            var tooLarge = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
            Assert.Contains("Giá trị quá lớn: chỉ số phải nằm trong khoảng từ -9.999.999.999.999.999 đến 9.999.999.999.999.999.", tooLarge);
            Assert.DoesNotContain("Giá trị phải là một số", tooLarge);
            Assert.Contains($"value=\"{typed}\"", tooLarge);
        }
        Assert.False(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.Name == "Quá lớn")));
        Assert.False(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.Name == "Rất nhỏ")));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Hai chữ số thập phân", ["Input.Value"] = "12,75" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Indicators?unitId={tp}&year=2025", new() { ["Input.Name"] = "Kinh phí", ["Input.Value"] = "1.234.567,5" })).StatusCode);
        Assert.Equal(1234567.5m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Name == "Kinh phí").Select(i => i.Value).SingleAsync()));

        var html = await client.HtmlAsync($"/Indicators?unitId={tp}&year=2025");
        Assert.Contains("774", html);
        Assert.DoesNotContain(">770<", html);
        Assert.Contains("97,8", html);
        Assert.Equal(6, await app.DbAsync(db => db.IndicatorValues.CountAsync(i => i.OrgUnitId == tp)));
        Assert.Equal(97.8m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Name == "Tỷ lệ hài lòng").Select(i => i.Value).SingleAsync()));
    }

    /// <summary>The walk of session 16: an indicator could not be renamed or deleted, and a second tab's save overwrote
    /// the first's silently.</summary>
    [Fact]
    public async Task An_indicator_is_renamed_deleted_softly_and_a_save_over_anothers_is_detected_keeping_what_was_typed()
    {
        var mx = await app.OrgIdAsync("TQ-TP-MX");
        const int year = 2025;
        var url = $"/Indicators?unitId={mx}&year={year}";
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, new() { ["Input.Name"] = "Lượt tiếp dân", ["Input.Value"] = "120", ["Input.Unit"] = "lượt" })).StatusCode);
        var id = await app.DbAsync(db => db.IndicatorValues.Where(i => i.OrgUnitId == mx && i.Name == "Lượt tiếp dân").Select(i => i.Id).SingleAsync());

        // Two tabs show the list; the first saves 130 by name, the second's 125 (from the same list) is refused, named, kept.
        static string Seen(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(
            System.Text.RegularExpressions.Regex.Match(html, "<input[^>]*name=\"Input.Seen\"[^>]*>").Value, "value=\"([^\"]*)\"").Groups[1].Value);
        var seen = Seen(await client.HtmlAsync(url));
        Assert.Contains($"{id}:", seen);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, new() { ["Input.Name"] = "Lượt tiếp dân", ["Input.Value"] = "130", ["Input.Unit"] = "lượt", ["Input.Seen"] = seen })).StatusCode);
        var stale = await client.PostFormAsync(url, new() { ["Input.Name"] = "Lượt tiếp dân", ["Input.Value"] = "125", ["Input.Unit"] = "lượt", ["Input.Seen"] = seen });
        var html = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("Chỉ số “Lượt tiếp dân” vừa được người khác lưu: giá trị đã lưu là 130 lượt.", html);
        Assert.Contains("value=\"125\"", html);
        Assert.Equal(130m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Id == id).Select(i => i.Value).SingleAsync()));
        // Saving again from that page overwrites knowingly.
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, new() { ["Input.Name"] = "Lượt tiếp dân", ["Input.Value"] = "125", ["Input.Unit"] = "lượt", ["Input.Seen"] = Seen(html) })).StatusCode);
        Assert.Equal(125m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.Id == id).Select(i => i.Value).SingleAsync()));

        // "Sửa" opens the row in the form; a new name renames it (no second row); a stale version is refused.
        var edit = WebUtility.HtmlDecode(await client.HtmlAsync($"{url}&edit={id}"));
        Assert.Contains("Sửa chỉ số", edit);
        var version = Seen(edit);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, new() { ["Input.Id"] = id.ToString(), ["Input.Seen"] = version, ["Input.Name"] = "Số lượt tiếp công dân", ["Input.Value"] = "125", ["Input.Unit"] = "lượt" })).StatusCode);
        Assert.Equal("Số lượt tiếp công dân", await app.DbAsync(db => db.IndicatorValues.Where(i => i.Id == id).Select(i => i.Name).SingleAsync()));
        Assert.False(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.OrgUnitId == mx && i.Name == "Lượt tiếp dân")));
        var staleEdit = await client.PostFormAsync(url, new() { ["Input.Id"] = id.ToString(), ["Input.Seen"] = version, ["Input.Name"] = "Tiếp dân", ["Input.Value"] = "1", ["Input.Unit"] = "lượt" });
        Assert.Contains("vừa được người khác lưu", WebUtility.HtmlDecode(await staleEdit.Content.ReadAsStringAsync()));
        Assert.Equal("Số lượt tiếp công dân", await app.DbAsync(db => db.IndicatorValues.Where(i => i.Id == id).Select(i => i.Name).SingleAsync()));

        // Delete: gone from the page and the report, kept in the table with its value; the name may be entered again.
        var current = await app.DbAsync(db => db.IndicatorValues.Where(i => i.Id == id).Select(i => i.Version).SingleAsync());
        var deleted = await client.PostFormAsync($"{url}&handler=Delete&id={id}&version={current}", [], getUrl: url);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Contains("Đã xóa chỉ số “Số lượt tiếp công dân”.", WebUtility.HtmlDecode(await client.HtmlAsync(deleted.Headers.Location!.OriginalString)));
        Assert.DoesNotContain("Số lượt tiếp công dân", WebUtility.HtmlDecode(await client.HtmlAsync(url)));
        Assert.Equal(125m, await app.DbAsync(db => db.IndicatorValues.IgnoreQueryFilters().Where(i => i.Id == id && i.DeletedAt != null).Select(i => i.Value).SingleAsync()));
        var report = await app.DbAsync(db => HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, mx, year, default));
        Assert.DoesNotContain(report.Indicators, i => i.Name == "Số lượt tiếp công dân");
        var twice = await client.PostFormAsync($"{url}&handler=Delete&id={id}&version={current}", [], getUrl: url);
        Assert.Contains("Chỉ số này đã được xóa trước đó.", WebUtility.HtmlDecode(await client.HtmlAsync(twice.Headers.Location!.OriginalString)));
        // The second tab still editing it: what was typed stays and the message says why.
        var gone = await client.PostFormAsync(url, new() { ["Input.Id"] = id.ToString(), ["Input.Seen"] = current.ToString(), ["Input.Name"] = "Số lượt tiếp công dân", ["Input.Value"] = "140", ["Input.Unit"] = "lượt" });
        var goneHtml = WebUtility.HtmlDecode(await gone.Content.ReadAsStringAsync());
        Assert.Contains("Chỉ số này vừa bị người khác xóa.", goneHtml);
        Assert.Contains("value=\"140\"", goneHtml);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url, new() { ["Input.Name"] = "Số lượt tiếp công dân", ["Input.Value"] = "140", ["Input.Unit"] = "lượt" })).StatusCode);
        Assert.Equal(140m, await app.DbAsync(db => db.IndicatorValues.Where(i => i.OrgUnitId == mx && i.Year == year && i.Name == "Số lượt tiếp công dân").Select(i => i.Value).SingleAsync()));

        // Outside the subtree: 404 (a branch secretary of another ward).
        var other = await app.SignedInAsync("bithu@hlb.local");
        var newId = await app.DbAsync(db => db.IndicatorValues.Where(i => i.OrgUnitId == mx && i.Name == "Số lượt tiếp công dân").Select(i => i.Id).SingleAsync());
        var refused = await other.PostFormAsync($"{url}&handler=Delete&id={newId}", [], getUrl: "/Pledges/Mine");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.True(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.Id == newId)));
    }
}

/// <summary>A merge joins the merged unit's indicators to the receiving unit's like with like: counts add up, a rate is
/// the mean, another unit of measure is kept beside it under a name saying where it came from; the merged row is deleted
/// softly. Its own site: the merge changes the demo's tree.</summary>
public sealed class IndicatorMergeTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_merge_adds_counts_averages_rates_and_keeps_other_units_of_measure_apart()
    {
        var (tdp1, tdp2) = (await app.OrgIdAsync("TQ-TP-PT-TDP1"), await app.OrgIdAsync("TQ-TP-PT-TDP2"));
        await app.DbAsync(async db =>
        {
            var y = db.Clock.Year;
            db.IndicatorValues.AddRange(
                new IndicatorValue { OrgUnitId = tdp1, Year = y, Name = "Hộ nghèo", Value = 3, Unit = "hộ" },
                new IndicatorValue { OrgUnitId = tdp2, Year = y, Name = "Hộ nghèo", Value = 2, Unit = "hộ" },
                new IndicatorValue { OrgUnitId = tdp1, Year = y, Name = "Tỷ lệ hộ văn hóa", Value = 90, Unit = "%" },
                new IndicatorValue { OrgUnitId = tdp2, Year = y, Name = "Tỷ lệ hộ văn hóa", Value = 96, Unit = " % " },
                new IndicatorValue { OrgUnitId = tdp1, Year = y, Name = "Quỹ vận động", Value = 15, Unit = "triệu đồng" },
                new IndicatorValue { OrgUnitId = tdp2, Year = y, Name = "Quỹ vận động", Value = 2_000_000, Unit = "đồng" });
            await db.SaveChangesAsync();
            var source = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == tdp2);
            var into = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == tdp1);
            Assert.Null(await HocLamTheoBac.Web.Data.Restructuring.MergeAsync(db, source, into, db.Clock.Today, default));
        });
        var rows = await app.DbAsync(db => db.IndicatorValues.Where(i => i.OrgUnitId == tdp1 && (i.Name.StartsWith("Hộ nghèo") || i.Name.StartsWith("Tỷ lệ hộ văn hóa") || i.Name.StartsWith("Quỹ vận động")))
            .Select(i => new { i.Name, i.Value, i.Unit }).ToListAsync());
        Assert.Equal([("Hộ nghèo", 5m, "hộ"), ("Quỹ vận động", 15m, "triệu đồng"), ("Quỹ vận động (Chi bộ Tổ dân phố 2)", 2_000_000m, "đồng"), ("Tỷ lệ hộ văn hóa", 93m, "%")],
            rows.Select(r => (r.Name, r.Value, r.Unit!)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList());
        Assert.Equal(2, await app.DbAsync(db => db.IndicatorValues.IgnoreQueryFilters().CountAsync(i => i.OrgUnitId == tdp2 && i.DeletedAt != null)));
    }

    /// <summary>The walk of session 18: after a ward was merged, its indicator and problem pages still took the year's
    /// records, which were saved and counted nowhere (the reports count the tree of the year's end).</summary>
    [Fact]
    public async Task A_unit_merged_or_dissolved_takes_no_record_of_its_closing_year_or_later_but_keeps_its_earlier_years()
    {
        var unit = await app.DbAsync(async db =>
        {
            var parent = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-YS");
            var kind = await db.OrgKinds.SingleAsync(k => k.Code == "chi-bo-co-so");
            var u = await HocLamTheoBac.Web.Data.OrgTree.AddUnitAsync(db, parent, kind.Id, "TQ-YS-GIAITHE", "Chi bộ sẽ giải thể", new DateOnly(2021, 1, 1), default);
            await db.SaveChangesAsync();
            return u.Id;
        });
        var admin = await app.SignedInAsync("admin@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/Orgs/Restructure/{unit}?handler=Close", new() { ["Input.EffectiveOn"] = "2026-06-30" }, getUrl: $"/Orgs/Restructure/{unit}")).StatusCode);

        // The walk of session 18: its pages showed working forms and refused only what was typed. They say it at once now.
        const string Closed = "Chi bộ sẽ giải thể đã giải thể hoặc hợp nhất từ ngày 30/06/2026: không thể thêm hoặc sửa số liệu năm 2026 của đơn vị này.";
        // The walk of session 19: the study session's form and the plan page ("Mở năm kế hoạch") were still offered.
        foreach (var page in new[] { "/Indicators", "/Problems", "/Problems/Edit", "/LeaderTasks/Edit", "/Models/Create", "/Commendations", "/Commendations/Create", "/Quotas", "/StudySessions", "/StudySessions/Edit", $"/Plans/Unit/{unit}" })
        {
            var html = WebUtility.HtmlDecode(await admin.HtmlAsync(page.StartsWith("/Plans", StringComparison.Ordinal) ? $"{page}?year=2026" : $"{page}?unitId={unit}&year=2026"));
            Assert.True(html.Contains(Closed), page);
            // No button that saves: only the unit and year picker's "Xem".
            var buttons = System.Text.RegularExpressions.Regex.Matches(html.Split("<main")[1].Split("</main>")[0], @"<button[^>]*type=""submit""[^>]*>(.*?)</button>", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.All(buttons, b => Assert.Equal("Xem", b.Groups[1].Value.Trim()));
        }
        var earlier = WebUtility.HtmlDecode(await admin.HtmlAsync($"/Indicators?unitId={unit}&year=2025"));
        Assert.DoesNotContain("đã giải thể hoặc hợp nhất từ ngày", earlier);
        Assert.Contains("name=\"Input.Value\"", earlier);

        var r = await admin.PostFormAsync($"/Indicators?unitId={unit}&year=2026", new() { ["Input.Name"] = "Lượt tiếp dân sau giải thể", ["Input.Value"] = "4" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Chi bộ sẽ giải thể đã giải thể hoặc hợp nhất từ ngày 30/06/2026: không thể thêm hoặc sửa số liệu năm 2026 của đơn vị này.", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        r = await admin.PostFormAsync($"/Problems/Edit?unitId={unit}&year=2026", new() { ["Input.Title"] = "Vấn đề sau giải thể", ["Input.Outcome"] = "1" });
        Assert.Contains("đã giải thể hoặc hợp nhất từ ngày 30/06/2026", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.OrgUnitId == unit)));
        Assert.False(await app.DbAsync(db => db.PressingProblems.AnyAsync(p => p.OrgUnitId == unit)));
        // Nor a plan of its closing year (it could still be opened).
        r = await admin.PostFormAsync($"/Plans/Theme/{unit}?year=2026", new() { ["Plan.Theme"] = "Kế hoạch sau giải thể" }, getUrl: $"/Plans/Unit/{unit}?year=2026");
        Assert.Contains("đã giải thể hoặc hợp nhất từ ngày 30/06/2026", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.PlanYears.AnyAsync(p => p.OrgUnitId == unit && p.Year == 2026)));
        // A year before its closing stays its own (no year is closed in this class's database).
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/Indicators?unitId={unit}&year=2025", new() { ["Input.Name"] = "Lượt tiếp dân năm trước", ["Input.Value"] = "4" })).StatusCode);
        Assert.True(await app.DbAsync(db => db.IndicatorValues.AnyAsync(i => i.OrgUnitId == unit && i.Year == 2025)));
    }
}
