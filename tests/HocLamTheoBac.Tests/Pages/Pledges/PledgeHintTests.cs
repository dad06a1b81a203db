using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges.Hints;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>Hints against formal pledges (issue 18) with fixed Vietnamese examples: which are hinted, which must not be.</summary>
public sealed class PledgeHintTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Y = 2031; // a year of its own: the demo data has no pledges in it
    private const double T = PledgeHints.DefaultSimilarity;

    private Task<int> AddAsync(int memberId, string content, string? solution = null, int year = Y, PledgeStatus status = PledgeStatus.Submitted) =>
        app.DbAsync(async db =>
        {
            var branchId = await db.Members.Where(m => m.Id == memberId).Select(m => m.BranchId).SingleAsync();
            var p = new Pledge { MemberId = memberId, BranchId = branchId, Year = year, Content = content, Solution = solution, Status = status };
            db.Pledges.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });

    private Task<Dictionary<int, List<PledgeHint>>> HintsAsync(params int[] ids) =>
        app.DbAsync(db => PledgeHintQuery.ForPledgesAsync(db, ids, T, CancellationToken.None));

    [Theory]
    [InlineData("Thực hiện tốt nhiệm vụ được giao", null)]
    [InlineData("Nâng cao ý thức trách nhiệm, tu dưỡng, rèn luyện đạo đức", null)]
    [InlineData("THỰC HIỆN TỐT các quy định của địa phương", "Tích cực tham gia các phong trào")]
    [InlineData("Gương mẫu chấp hành", null)]
    [InlineData("Làm việc tốt", null)]
    public async Task A_generic_pledge_without_quantity_or_time_is_hinted_as_nothing_checkable(string content, string? solution)
    {
        var member = (await app.MembersAsync("TQ-TP-MX-TDP5"))[2].Id;
        var id = await AddAsync(member, content, solution, year: 2032);
        var hints = await HintsAsync(id);
        Assert.Contains(PledgeHint.NothingCheckable, hints[id]);
    }

    [Theory]
    [InlineData("Mỗi tháng vận động 5 hộ phân loại rác tại nguồn", null)]
    [InlineData("Thực hiện tốt việc thu gom rác thải", "Dọn vệ sinh đường tổ 3 sáng Chủ nhật hằng tuần")]
    [InlineData("Nâng cao ý thức tiết kiệm điện: tắt điều hòa sau 17 giờ", null)]
    [InlineData("Trồng và chăm sóc cây xanh trước nhà văn hóa tổ dân phố", null)]
    [InlineData("Hướng dẫn người dân nộp hồ sơ trực tuyến trên Cổng dịch vụ công", null)]
    [InlineData("Gương mẫu đi sinh hoạt đủ các buổi của chi bộ", null)]
    public async Task A_concrete_pledge_is_not_hinted_as_nothing_checkable(string content, string? solution)
    {
        var member = (await app.MembersAsync("TQ-TP-MX-TDP5"))[3].Id;
        var id = await AddAsync(member, content, solution, year: 2033);
        var hints = await HintsAsync(id);
        Assert.False(hints.TryGetValue(id, out var h) && h.Contains(PledgeHint.NothingCheckable), $"“{content}” was hinted");
    }

    [Fact]
    public async Task Near_duplicates_of_an_earlier_year_and_of_another_member_in_the_branch_are_hinted_but_not_across_branches()
    {
        var tdp2 = await app.MembersAsync("TQ-TP-PT-TDP2");
        var other = await app.MembersAsync("TQ-TP-MX-TDP5");
        var (a, b, c) = (tdp2[4].Id, tdp2[5].Id, tdp2[6].Id);

        await AddAsync(a, "Giữ gìn vệ sinh đường phố, phân loại rác tại nguồn mỗi tuần", year: Y - 1);
        var copied = await AddAsync(a, "Giữ gìn vệ sinh đường phố, phân loại rác tại nguồn mỗi tuần.");
        var fresh = await AddAsync(a, "Hướng dẫn 3 người cao tuổi dùng dịch vụ công trực tuyến");
        var twin1 = await AddAsync(b, "Vận động 10 hộ gia đình lắp camera an ninh trong quý III");
        var twin2 = await AddAsync(c, "Vận động 10 hộ gia đình lắp camera an ninh trong quý III.", status: PledgeStatus.Draft);
        var elsewhere = await AddAsync(other[5].Id, "Vận động 10 hộ gia đình lắp camera an ninh trong quý III");
        var lastYearOfOther = await AddAsync(b, "Giữ gìn vệ sinh đường phố, phân loại rác tại nguồn mỗi tuần", year: Y + 1);

        var hints = await HintsAsync(copied, fresh, twin1, twin2, elsewhere, lastYearOfOther);
        Assert.Equal([PledgeHint.SameAsEarlierYear], hints[copied]);
        Assert.False(hints.ContainsKey(fresh));
        Assert.Equal([PledgeHint.SameAsOtherMember], hints[twin1]);
        Assert.Equal([PledgeHint.SameAsOtherMember], hints[twin2]);
        Assert.False(hints.ContainsKey(elsewhere), "a twin in another branch is not a hint");
        Assert.False(hints.ContainsKey(lastYearOfOther), "another member's earlier pledge is not 'my earlier year'");

        // A stricter threshold from configuration: the twins (one full stop apart) stay, a loose paraphrase goes.
        var loose = await AddAsync(tdp2[7].Id, "Vận động các hộ gia đình lắp camera an ninh");
        var strict = await app.DbAsync(db => PledgeHintQuery.ForPledgesAsync(db, [twin1, loose], 0.9, CancellationToken.None));
        Assert.Contains(PledgeHint.SameAsOtherMember, strict[twin1]);
        Assert.False(strict.TryGetValue(loose, out var l) && l.Contains(PledgeHint.SameAsOtherMember));
    }

    [Fact]
    public async Task Near_duplicates_are_compared_along_the_branch_index_and_no_trigram_index_slows_the_pledge_imports()
    {
        var (indexes, plan) = await app.DbAsync(async db =>
        {
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            await using var idx = new NpgsqlCommand("SELECT string_agg(indexdef, ' ') FROM pg_indexes WHERE tablename = 'pledges'", conn);
            var indexes = (string)(await idx.ExecuteScalarAsync())!;
            await using (var off = new NpgsqlCommand("SET enable_seqscan = off", conn)) await off.ExecuteNonQueryAsync();
            await using var cmd = new NpgsqlCommand("""
                EXPLAIN SELECT c.id, EXISTS (SELECT 1 FROM pledges q WHERE q.branch_id = c.branch_id AND q.year = c.year
                    AND q.member_id <> c.member_id AND similarity(q.content, c.content) >= 0.6) FROM pledges c WHERE c.branch_id = 1 AND c.year = 2025
                """, conn);
            var lines = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) lines.Add(r.GetString(0));
            return (indexes, string.Join("\n", lines));
        });
        Assert.DoesNotContain("gin_trgm_ops", indexes);
        Assert.Contains("ix_pledges_branch_id_year", plan);
    }

    [Fact]
    public async Task Above_the_similarity_bound_a_branch_or_a_member_is_compared_by_equal_normalised_text()
    {
        // A branch and year with more pledges than SimilarityUpTo (one member holding nearly all of them, the shape that
        // made the pairwise comparison time out), and a member with more earlier-year pledges than the bound.
        const int year = 2038;
        var n = PledgeHintQuery.SimilarityUpTo + 1;
        var members = await app.MembersAsync("TQ-TP-PT-TDP1");
        var (bulk, copier, unrelated) = (members[1].Id, members[2].Id, members[3].Id);
        await TestDatabase.ExecAsync($"""
            INSERT INTO pledges (member_id, branch_id, year, content, status)
            SELECT m.id, m.branch_id, {year}, 'Việc làm theo số ' || g || ' trong năm', 1 FROM members m, generate_series(1, {n}) g WHERE m.id = {bulk};
            INSERT INTO pledges (member_id, branch_id, year, content, status)
            SELECT m.id, m.branch_id, {year - 1}, 'Dọn vệ sinh khu phố lần ' || g, 1 FROM members m, generate_series(1, {n}) g WHERE m.id = {unrelated};
            """, app.ConnectionString);
        var copy = await AddAsync(copier, "VIỆC LÀM THEO SỐ 17 trong năm.", year: year);
        var near = await AddAsync(copier, "Việc làm theo số 17 trong năm nay", year: year);
        var again = await AddAsync(unrelated, "Dọn vệ sinh khu phố, lần 5", year: year);
        var (original, untouched) = await app.DbAsync(async db => (
            await db.Pledges.Where(p => p.MemberId == bulk && p.Year == year && p.Content == "Việc làm theo số 17 trong năm").Select(p => p.Id).SingleAsync(),
            await db.Pledges.Where(p => p.MemberId == bulk && p.Year == year && p.Content == "Việc làm theo số 18 trong năm").Select(p => p.Id).SingleAsync()));

        var hints = await HintsAsync(copy, near, again, original, untouched);
        Assert.Contains(PledgeHint.SameAsOtherMember, hints[copy]);
        Assert.Contains(PledgeHint.SameAsOtherMember, hints[original]);
        Assert.Contains(PledgeHint.SameAsEarlierYear, hints[again]);
        Assert.False(hints.TryGetValue(near, out var h1) && h1.Contains(PledgeHint.SameAsOtherMember), "a near copy is not equal text");
        Assert.False(hints.TryGetValue(untouched, out var h2) && h2.Contains(PledgeHint.SameAsOtherMember), "no other member wrote it");

        // The grid's computation of the whole branch and year gives the same answers.
        var branch = await app.DbAsync(db => db.Members.Where(m => m.Id == bulk).Select(m => m.BranchId).SingleAsync());
        await using var source = NpgsqlDataSource.Create(app.ConnectionString);
        var all = await app.DbAsync(db => PledgeHintQuery.ForBranchYearAsync(
            source, branch, year, T, CancellationToken.None));
        Assert.Equal(hints[copy], all[copy]);
        Assert.Equal(hints[original], all[original]);
        Assert.False(all.TryGetValue(untouched, out var h3) && h3.Contains(PledgeHint.SameAsOtherMember));
    }

    [Fact]
    public async Task The_secretary_sees_hints_in_the_grid_and_can_still_approve_and_the_member_sees_them_while_writing()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var demo = await app.DemoMemberIdAsync();
        var year = PledgeData.Year;
        var id = await AddAsync(demo, "Thực hiện tốt nhiệm vụ được giao", year: year);

        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var grid = await secretary.HtmlAsync($"/Pledges/Branch/{tdp1}?year={year}");
        Assert.Contains("data-hints=\"NothingCheckable\"", grid);
        Assert.Contains("Chưa có nội dung kiểm đếm được", grid);
        // The hint link's name: the hint's words, written once a page, then the row's content and member (BeyondPagesTests reads
        // the name in Chromium: "Gợi ý Chưa kiểm đếm được cho việc làm theo <content> của <member>").
        // The hint's key in the grid is its number (NothingCheckable = 3): the link's target is the legend's item "hint-3".
        Assert.Contains($"<a href=\"#hint-3\" class=\"badge text-bg-warning\" aria-labelledby=\"g-h-3 pc-{id} g-of mn-{demo}\">Gợi ý</a> Chưa kiểm đếm được</li>", grid);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(grid, "<span hidden id=\"g-h-3\">Gợi ý Chưa kiểm đếm được cho việc làm theo</span>"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(grid, "<li id=\"hint-3\"><strong>Chưa có nội dung kiểm đếm được.</strong>"));
        var page = await secretary.HtmlAsync($"/Pledges/Details/{id}");
        Assert.Contains("Chưa thấy việc làm cụ thể, số lượng hoặc thời gian", page);

        var version = await app.DbAsync(db => db.Pledges.Where(p => p.Id == id).Select(p => p.Version).SingleAsync());
        var r = await secretary.PostFormAsync($"/Pledges/Details/{id}?handler=Act", new() { ["Input.Version"] = version.ToString(), ["Input.Action"] = "Approve" }, $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(PledgeStatus.Approved, (await app.PledgeAsync(id)).Status);

        var member = await app.SignedInAsync("dangvien@hlb.local");
        var mine = await member.HtmlAsync($"/Pledges/Mine?year={year}");
        Assert.Contains("Chưa có nội dung kiểm đếm được", mine);
    }

    [Fact]
    public async Task The_dashboard_counts_hinted_pledges_of_the_subtree_as_an_independent_SQL_count_does()
    {
        var tdp2 = await app.MembersAsync("TQ-TP-PT-TDP2");
        var ys = await app.MembersAsync("TQ-YS-THCS");
        const int year = 2035;
        await AddAsync(tdp2[1].Id, "Thực hiện tốt nhiệm vụ", year: year - 2);
        await AddAsync(tdp2[1].Id, "Thực hiện tốt nhiệm vụ", year: year);
        await AddAsync(tdp2[2].Id, "Thực hiện tốt nhiệm vụ.", year: year);
        await AddAsync(tdp2[3].Id, "Mỗi quý tổ chức 1 buổi sinh hoạt cho thiếu nhi", year: year);
        await AddAsync(ys[1].Id, "Nâng cao ý thức trách nhiệm", year: year);
        await AddAsync(ys[2].Id, "Nâng cao ý thức trách nhiệm", year: year);
        var deleted = await AddAsync(tdp2[4].Id, "Thực hiện tốt nhiệm vụ", year: year);
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == deleted).ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletedAt, DateTimeOffset.UtcNow)));

        foreach (var code in new[] { "TQ", "TQ-TP", "TQ-YS", "TQ-TP-PT-TDP2" })
        {
            var unit = await app.OrgIdAsync(code);
            var mine = await app.DbAsync(db => PledgeHintQuery.CountsAsync(db, unit, year, T, CancellationToken.None));
            var independent = await IndependentAsync(code, year);
            Assert.Equal(independent, (mine.Pledges, mine.SameAsEarlierYear, mine.SameAsOtherMember, mine.NothingCheckable));
        }
        var tq = await app.OrgIdAsync("TQ");
        var province = await app.DbAsync(db => PledgeHintQuery.CountsAsync(db, tq, year, T, CancellationToken.None));
        Assert.Equal((5, 1, 4, 4), (province.Pledges, province.SameAsEarlierYear, province.SameAsOtherMember, province.NothingCheckable));

        var staff = await app.SignedInAsync("tuyengiao@hlb.local");
        // The dashboard waits at most a moment for the counts (a province's take minutes); on a loaded machine the first
        // views may say they are being computed: view again until they are shown.
        var html = await staff.HtmlAsync($"/Reports/{await app.OrgIdAsync("TQ")}/{year}");
        for (var i = 0; i < 300 && html.Contains("data-hints-pending"); i++)
        {
            await Task.Delay(100);
            html = await staff.HtmlAsync($"/Reports/{await app.OrgIdAsync("TQ")}/{year}");
        }
        Assert.Contains("Dấu hiệu đăng ký hình thức", html);
        Assert.Matches("data-hint-count=\"SameAsOtherMember\">4 ", html);
        Assert.Matches("data-hint-count=\"NothingCheckable\">4 ", html);
    }

    /// <summary>Written apart from PledgeHintQuery: similarity() instead of %, and word-boundary regular expressions for the lists.</summary>
    private async Task<(int, int, int, int)> IndependentAsync(string code, int year)
    {
        var generic = "(" + string.Join("|", PledgeHints.GenericPhrases.Select(p => "\\m" + p.Replace(" ", "[^[:alnum:]]+") + "\\M")) + ")";
        var measure = "([0-9]|" + string.Join("|", PledgeHints.MeasureWords.Select(p => "\\m" + p.Replace(" ", "[^[:alnum:]]+") + "\\M")) + ")";
        var sql = """
            SELECT count(*)::int,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pledges q WHERE q.member_id = p.member_id AND q.year < p.year AND q.deleted_at IS NULL AND similarity(q.content, p.content) >= @t))::int,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pledges q WHERE q.branch_id = p.branch_id AND q.year = p.year AND q.member_id <> p.member_id AND q.deleted_at IS NULL AND similarity(q.content, p.content) >= @t))::int,
              count(*) FILTER (WHERE NOT (lower(p.content || ' ' || coalesce(p.solution, '')) ~ @measure)
                                 AND (lower(p.content) ~ @generic OR cardinality(regexp_split_to_array(trim(lower(p.content)), '[^[:alnum:]]+')) < @w))::int
            FROM pledges p JOIN org_units u ON u.id = p.branch_id
            WHERE u.path <@ (SELECT path FROM org_units WHERE code = @code) AND p.year = @y AND p.deleted_at IS NULL
            """;
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("t", (float)T);
        cmd.Parameters.AddWithValue("measure", measure);
        cmd.Parameters.AddWithValue("generic", generic);
        cmd.Parameters.AddWithValue("w", PledgeHints.MinWords);
        cmd.Parameters.AddWithValue("code", code);
        cmd.Parameters.AddWithValue("y", year);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3));
    }
}

/// <summary>The dashboard never waits on the hint counts: with no time to wait for them (a province's take minutes at
/// 320.000 members, beyond any request's timeout) the page answers at once with its figures and says the counts are being
/// computed; the computation goes on and a later view shows them.</summary>
public sealed class DashboardHintsPendingTests(DashboardHintsPendingTests.Site app) : IClassFixture<DashboardHintsPendingTests.Site>
{
    public sealed class Site : AppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Hints:CountsWaitMilliseconds", "0");
        }
    }

    [Fact]
    public async Task The_dashboard_answers_without_waiting_for_the_hint_counts_and_shows_them_once_computed()
    {
        var staff = await app.SignedInAsync("tuyengiao@hlb.local");
        // A unit below the account's own: signing in shows the home page, which may start the counts of the account's unit.
        var url = $"/Reports/{await app.OrgIdAsync("TQ-TP")}/{PledgeData.Year}";
        using var first = await staff.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync();
        Assert.Contains("data-hints-pending", html);
        Assert.Contains("Tải lại trang sau ít phút", html);
        Assert.DoesNotContain("data-hint-count", html);
        Assert.Contains("Tỷ lệ", html);   // the figures are there all the same

        for (var i = 0; i < 300 && html.Contains("data-hints-pending"); i++)
        {
            await Task.Delay(100);
            html = await staff.HtmlAsync(url);
        }
        Assert.Contains("data-hint-count=\"SameAsOtherMember\"", html);
    }
}
