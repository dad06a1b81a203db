using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Data;

public sealed class LivedInDemo : AppFactory
{
    protected override bool SeedDemo => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        await DemoSeeder.SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider, CancellationToken.None, withActivity: true);
    }
}

/// <summary>The demo that scripts/run.sh seeds: 2024 complete, 2025 across the 01/07/2025 restructuring, this year under way.</summary>
public sealed class DemoActivityTests(LivedInDemo app) : IClassFixture<LivedInDemo>
{
    [Fact]
    public async Task Last_years_dashboard_shows_a_high_completion_rate_for_the_province()
    {
        var lastYear = TestClock.Year - 1;
        var (done, registered) = await app.DbAsync(async db => (
            await db.Pledges.CountAsync(p => p.Year == lastYear && p.Status == PledgeStatus.Done),
            await db.Pledges.CountAsync(p => p.Year == lastYear)));
        Assert.InRange(done * 100.0 / registered, 90, 100);
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var r = await client.GetAsync($"/Reports/{await app.OrgIdAsync("TQ")}/{lastYear}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(new Rate(done, registered).WithFraction(), WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task This_year_the_demo_secretary_has_pledges_waiting_and_the_demo_member_one_to_report()
    {
        var year = TestClock.Year;
        var waiting = await app.DbAsync(db => db.Pledges.CountAsync(p => p.Year == year && p.Status == PledgeStatus.Submitted && db.OrgUnits.Any(u => u.Id == p.BranchId && u.Code == "TQ-TP-PT-TDP1")));
        Assert.True(waiting > 0);
        var member = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Contains("Vận động gia đình phân loại rác", await member.HtmlAsync("/Pledges/Mine"));
    }

    private Task<HocLamTheoBac.Web.Reports.RollupResult> ProvinceAsync(int year) => app.DbAsync(async db =>
        await HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync(), year, default));

    [Fact]
    public async Task The_2024_report_lists_the_district_level_and_this_year_s_does_not()
    {
        var before = await ProvinceAsync(DemoActivity.Before);
        Assert.Equal(["TQ-TP", "TQ-YS"], before.Children.Select(c => c.Code));
        var now = await ProvinceAsync(TestClock.Year);
        Assert.DoesNotContain(now.All, u => u.Code is "TQ-TP" or "TQ-YS" or "TQ-TP-MX" or "TQ-YS-UB");
        Assert.Equal(["HG-BQ", "TQ-TP-PT", "TQ-YS-XA"], now.Children.Select(c => c.Code));
        Assert.Contains(now.All, u => u.Code == "TQ-TP-MX-TDP5" && now.All.Single(p => p.UnitId == u.ParentId).Code == "TQ-TP-PT");
        // made through the restructuring operations: placements, successors and the audit trail tell the story
        await app.DbAsync(async db =>
        {
            Assert.Equal("TQ-TP-PT", await db.OrgUnits.Where(u => u.Code == "TQ-TP-MX").Select(u => db.OrgUnits.Where(s => s.Id == u.MergedIntoId).Select(s => s.Code).Single()).SingleAsync());
            Assert.Equal(DemoActivity.RestructuredOn, await db.OrgUnits.Where(u => u.Code == "TQ-YS").Select(u => u.ClosedOn).SingleAsync());
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Note != null && a.Note.Contains("Hợp nhất")));
        });
    }

    [Fact]
    public async Task The_2025_report_counts_every_pledge_once_across_the_restructuring()
    {
        var f = (await ProvinceAsync(DemoActivity.Merger)).Totals;
        var (registered, done, members) = await app.DbAsync(async db => (
            await db.Pledges.CountAsync(p => p.Year == DemoActivity.Merger && p.Status != PledgeStatus.Draft && p.Status != PledgeStatus.Returned),
            await db.Pledges.CountAsync(p => p.Year == DemoActivity.Merger && p.Status == PledgeStatus.Done),
            await db.MemberBranchPeriods.CountAsync(p => p.ValidFrom <= new DateOnly(DemoActivity.Merger, 12, 31) && (p.ValidTo == null || p.ValidTo > new DateOnly(DemoActivity.Merger, 12, 31)))));
        Assert.Equal(registered, f.PledgesRegistered);
        Assert.Equal(done, f.PledgesDone);
        Assert.Equal(members, f.Members);
        Assert.True(f.PledgesRegistered > 150); // both provinces' members
    }

    [Fact]
    public async Task The_city_board_account_follows_the_change_and_the_board_compares_the_three_years()
    {
        var ward = await app.OrgIdAsync("TQ-TP-PT");
        Assert.Equal(ward, await app.DbAsync(db => db.RoleBindings.Where(b => db.Users.Any(u => u.Id == b.UserId && u.Email == "tuyengiao.tp@hlb.local")).Select(b => b.OrgUnitId).SingleAsync()));
        var board = await app.SignedInAsync("tuyengiao@hlb.local");
        var province = await app.OrgIdAsync("TQ");
        foreach (var year in new[] { DemoActivity.Before, DemoActivity.Merger, TestClock.Year })
            Assert.Equal(HttpStatusCode.OK, (await board.GetAsync($"/Reports/{province}/{year}")).StatusCode);
        Assert.Contains("Thành ủy Tuyên Quang", await board.HtmlAsync($"/Reports/{province}/{DemoActivity.Before}"));
        Assert.DoesNotContain("Thành ủy Tuyên Quang", await board.HtmlAsync($"/Reports/{province}/{TestClock.Year}"));
    }

    [Fact]
    public async Task Each_finished_year_has_a_grade_for_every_member_and_the_province_dashboard_counts_those_of_its_tree_of_then()
    {
        var board = await app.SignedInAsync("tuyengiao@hlb.local");
        var province = await app.OrgIdAsync("TQ");
        foreach (var year in new[] { DemoActivity.Before, DemoActivity.Merger })
        {
            var members = await app.DbAsync(db => db.Members.CountAsync());
            var counts = await app.DbAsync(db => db.MemberGrades.Where(g => g.Year == year).GroupBy(g => g.Level).Select(x => new { x.Key, N = x.Count() }).ToDictionaryAsync(x => x.Key, x => x.N));
            Assert.Equal(members, counts.Values.Sum());
            Assert.True(counts.GetValueOrDefault(GradeLevel.Good) > counts.GetValueOrDefault(GradeLevel.NotCompleted));
            // The province's dashboard of that year counts the branches that stood under it on 31/12 (2024: before the
            // neighbouring province's branches came under it), counted here from the placements.
            var good = await app.DbAsync(db => db.MemberGrades.CountAsync(g => g.Year == year && g.Level == GradeLevel.Good
                && db.OrgPlacements.Any(b => b.OrgUnitId == g.BranchId && b.ValidFrom <= new DateOnly(year, 12, 31) && (b.ValidTo == null || b.ValidTo > new DateOnly(year, 12, 31))
                    && db.OrgPlacements.Any(p => p.OrgUnitId == province && p.ValidFrom <= new DateOnly(year, 12, 31) && (p.ValidTo == null || p.ValidTo > new DateOnly(year, 12, 31)) && b.Path.IsDescendantOf(p.Path)))));
            Assert.True(good > 0);
            if (year == DemoActivity.Merger) Assert.Equal(counts[GradeLevel.Good], good);
            var html = WebUtility.HtmlDecode(await board.HtmlAsync($"/Reports/{province}/{year}"));
            Assert.Contains($"Xếp loại đảng viên năm {year}", html);
            Assert.Contains($"data-grade-count=\"Good\">{good} ", html);
        }
    }
    /// <summary>Found by the walk of session 12: the review sheet counted only sessions the branch held itself, so every
    /// member of the demo (whose sessions the ward and city committees hold) read 0/0. Each member's attendance now
    /// equals an independent count over the sessions of the year by the tree of each session's day.</summary>
    [Fact]
    public async Task The_review_sheet_counts_each_member_s_attendance_at_the_sessions_of_the_units_above_the_branch()
    {
        var year = TestClock.Year - 1;
        var branchId = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var (sheet, counted) = await app.DbAsync(async db =>
        {
            var branch = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == branchId);
            var asOf = db.Clock.AsOf(year);
            var ids = await db.MemberBranchPeriods.Where(p => p.BranchId == branchId && p.ValidFrom <= asOf && (p.ValidTo == null || p.ValidTo > asOf)).Select(p => p.MemberId).ToListAsync();
            var sheet = await HocLamTheoBac.Web.Reports.Paper.ReviewSheets.LoadAsync(db, branch, year, ids, default);
            var counted = new Dictionary<int, (int Present, int Recorded)>();
            await using var conn = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"""
                SELECT p.member_id,
                       count(*) FILTER (WHERE a.status = {(int)AttendanceStatus.Present}),
                       count(*) FILTER (WHERE a.status IS DISTINCT FROM {(int)AttendanceStatus.Excused})
                FROM study_sessions s
                JOIN org_placements h ON h.org_unit_id = s.org_unit_id AND h.valid_from <= s.held_on AND (h.valid_to IS NULL OR h.valid_to > s.held_on)
                JOIN org_placements b ON b.path <@ h.path AND b.valid_from <= s.held_on AND (b.valid_to IS NULL OR b.valid_to > s.held_on)
                JOIN member_branch_periods p ON p.branch_id = b.org_unit_id AND p.valid_from <= s.held_on AND (p.valid_to IS NULL OR p.valid_to > s.held_on)
                LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = p.member_id
                WHERE s.year = {year} AND s.deleted_at IS NULL AND p.member_id = ANY(@ids)
                GROUP BY p.member_id
                """, conn);
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) counted[r.GetInt32(0)] = ((int)r.GetInt64(1), (int)r.GetInt64(2));
            return (sheet, counted);
        });
        Assert.NotEmpty(sheet.Members);
        Assert.Contains(counted.Values, c => c.Recorded > 0);
        foreach (var m in sheet.Members)
            Assert.Equal(counted.GetValueOrDefault(m.MemberId), (m.SessionsPresent, m.SessionsRecorded));

        // The branch's line is the sum of its members' (the walk of session 13: "—" on the page and the PDF's summary, over
        // sheets reading "2/2": the branch holds no session itself).
        var sum = new HocLamTheoBac.Web.Domain.Rate(counted.Values.Sum(c => c.Present), counted.Values.Sum(c => c.Recorded)).WithFraction();
        Assert.NotEqual(HocLamTheoBac.Web.Domain.Rate.None, sum);
        var client = await app.SignedInAsync("bithu@hlb.local");
        Assert.Contains($"đảng viên tham dự học tập {sum}", System.Net.WebUtility.HtmlDecode(await client.HtmlAsync($"/Reviews/Branch/{branchId}/{year}")));
        var pdf = await client.GetByteArrayAsync($"/Reviews/Branch/{branchId}/{year}?handler=Pdf");
        var text = System.Text.RegularExpressions.Regex.Replace(await HocLamTheoBac.Tests.Reports.PdfText.ExtractAsync(pdf), @"\s+", " ");
        Assert.Contains($"Đảng viên tham dự học tập chuyên đề: {sum.Replace('\u00A0', ' ')}", text);
    }
    /// <summary>The attack walk of session 12: a past year's dashboard of a unit not in the tree on that year's as-of day
    /// (dissolved in July 2025, founded after 2024) answered 500. Every unit's dashboard of every year opens (200 within
    /// the administrator's subtree, 404 outside it, never 500).</summary>
    [Fact]
    public async Task Every_unit_s_dashboard_of_every_year_opens_for_the_administrator_within_the_subtree_including_units_dissolved_or_founded_since()
    {
        // The administrator's subtree is the province's today (a province dissolved into it stays outside: 404).
        var units = await app.DbAsync(async db =>
        {
            var root = await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Path).SingleAsync();
            return await db.OrgUnits.Select(u => new { u.Id, Inside = u.Path.IsDescendantOf(root) }).OrderBy(x => x.Id).ToListAsync();
        });
        Assert.Contains(units, u => u.Inside);
        var admin = await app.SignedInAsync("admin@hlb.local");
        var failed = new List<string>();
        foreach (var u in units)
            foreach (var year in new[] { 2023, 2024, 2025, 2026 })
                if ((await admin.GetAsync($"/Reports/{u.Id}/{year}")).StatusCode is var status && status != (u.Inside ? HttpStatusCode.OK : HttpStatusCode.NotFound))
                    failed.Add($"{u.Id}/{year}: {(int)status}");
        Assert.Empty(failed);
    }
}
