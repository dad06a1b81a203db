using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports.Paper;

/// <summary>Paper for the branch meeting (issue 18): the sheets print every member with a QR code that opens that member's page.</summary>
public sealed partial class BranchSheetTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Y = 2030;

    private async Task<(int Unit, List<(int Id, string Name)> Members)> BranchAsync()
    {
        var unit = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var members = await app.DbAsync(async db => (await db.Members.Where(m => m.BranchId == unit && m.Status == MemberStatus.Active)
            .Select(m => new { m.Id, m.FullName }).ToListAsync()).Select(m => (m.Id, m.FullName)).ToList());
        return (unit, members);
    }

    [Fact]
    public async Task The_registration_sheet_lists_every_member_and_each_QR_code_opens_that_members_page()
    {
        var (unit, members) = await BranchAsync();
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.GetAsync($"/Pledges/Sheets/{unit}/{Y}/dang-ky");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/pdf", r.Content.Headers.ContentType?.MediaType);
        var pdf = await r.Content.ReadAsByteArrayAsync();
        await PdfText.RenderPngAsync(pdf, 1, "sheet-registration");

        var pages = (await PdfText.ExtractAsync(pdf)).Split('\f');
        Assert.Contains("PHIẾU ĐĂNG KÝ", pages[0]);
        Assert.Contains("CHI BỘ TỔ DÂN PHỐ 1", pages[0]);
        var codes = await QrDecode.PerPageAsync(pdf);
        AssertEachPageCodesMatchItsNames(pages, codes, members);
        Assert.Equal(members.Count, codes.Sum(c => c.Count));

        // The decoded address opens the right member's page for the secretary.
        var first = codes[0][0];
        var page = await client.HtmlAsync(new Uri(first).PathAndQuery);
        var id = int.Parse(MemberUrl().Match(first).Groups[1].Value);
        Assert.Contains(members.Single(m => m.Id == id).Name, page);
        Assert.Contains($"data-member-page=\"{id}\"", page);
    }

    [Fact]
    public async Task The_results_sheet_prints_each_approved_pledge_with_boxes_and_leaves_drafts_out()
    {
        var (unit, members) = await BranchAsync();
        await app.AddPledgeAsync(members[2].Id, PledgeStatus.Approved, "Vận động 5 hộ lắp đèn đường ngõ 12", Y);
        await app.AddPledgeAsync(members[3].Id, PledgeStatus.Done, "Dạy 2 buổi tin học cho người cao tuổi", Y);
        await app.AddPledgeAsync(members[4].Id, PledgeStatus.Draft, "Bản nháp chưa duyệt không được in", Y);
        var client = await app.SignedInAsync("bithu@hlb.local");
        var pdf = await client.GetByteArrayAsync($"/Pledges/Sheets/{unit}/{Y}/ket-qua");
        await PdfText.RenderPngAsync(pdf, 1, "sheet-results");

        var text = await PdfText.ExtractAsync(pdf);
        Assert.Contains("PHIẾU ĐÁNH GIÁ KẾT QUẢ", text);
        Assert.Contains("Vận động 5 hộ lắp đèn đường ngõ 12", text);
        Assert.Contains("Dạy 2 buổi tin học cho người cao tuổi", text);
        Assert.DoesNotContain("Bản nháp chưa duyệt", text);
        Assert.True(Regex.Matches(text, "Chưa hoàn thành").Count >= 2);
        var codes = await QrDecode.PerPageAsync(pdf);
        AssertEachPageCodesMatchItsNames(text.Split('\f'), codes, members);
    }

    [Theory]
    [InlineData("bithu@hlb.local", HttpStatusCode.OK)]
    [InlineData("tuyengiao.tp@hlb.local", HttpStatusCode.OK)]
    [InlineData("tuyengiao@hlb.local", HttpStatusCode.OK)]
    [InlineData("bithu2@hlb.local", HttpStatusCode.NotFound)]
    [InlineData("dangvien@hlb.local", HttpStatusCode.NotFound)]
    public async Task Sheets_are_printed_by_the_branch_and_its_ancestors_and_refused_to_neighbours(string email, HttpStatusCode expected)
    {
        var (unit, members) = await BranchAsync();
        var client = await app.SignedInAsync(email);
        Assert.Equal(expected, (await client.GetAsync($"/Pledges/Sheets/{unit}/{Y}/dang-ky")).StatusCode);
        Assert.Equal(expected, (await client.GetAsync($"/Pledges/Sheets/{unit}/{Y}/ket-qua")).StatusCode);
        var me = await app.DemoMemberIdAsync();
        var other = members.First(m => m.Id != me);
        Assert.Equal(expected, (await client.GetAsync($"/Pledges/Member/{other.Id}/{Y}")).StatusCode);
    }

    [Fact]
    public async Task A_member_opens_their_own_page_from_the_QR_code_and_a_unit_that_is_not_a_branch_has_no_sheets()
    {
        var me = await app.DemoMemberIdAsync();
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var html = await member.HtmlAsync($"/Pledges/Member/{me}/{Y}");
        Assert.Contains("Đăng ký, báo cáo việc làm theo của tôi", html);
        var staff = await app.SignedInAsync("tuyengiao@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/Pledges/Sheets/{await app.OrgIdAsync("TQ-TP")}/{Y}/dang-ky")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/Pledges/Sheets/{await app.OrgIdAsync("TQ-TP-PT-TDP1")}/{Y}/khac")).StatusCode);
    }

    private static void AssertEachPageCodesMatchItsNames(string[] pages, List<List<string>> codes, List<(int Id, string Name)> members)
    {
        Assert.True(codes.Count >= 1);
        var seen = new HashSet<int>();
        for (var i = 0; i < codes.Count; i++)
        {
            foreach (var code in codes[i])
            {
                var m = MemberUrl().Match(code);
                Assert.True(m.Success, $"unexpected QR content {code}");
                Assert.Equal(Y.ToString(), m.Groups[2].Value);
                var id = int.Parse(m.Groups[1].Value);
                var member = members.Single(x => x.Id == id);
                Assert.Contains(member.Name, pages[i]);
                Assert.True(seen.Add(id), $"member {id} printed twice");
            }
        }
        Assert.Equal(members.Select(m => m.Id).Order(), seen.Order());
    }

    [GeneratedRegex(@"^http://localhost/Pledges/Member/(\d+)/(\d+)$")]
    private static partial Regex MemberUrl();

    /// <summary>Session 14: the sheets listed today's members and the pledges kept in the branch, so a past year's results
    /// sheet lost a member who moved away since (and the review sheet and dashboard of that year still counted them).
    /// Now the members of the year's as-of day, each with all their pledges of the year — checked against an independent
    /// SQL list of that day's members.</summary>
    [Fact]
    public async Task A_past_years_results_sheet_lists_that_years_members_with_their_pledges_after_one_moved_away()
    {
        var unit = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var me = await app.DemoMemberIdAsync();
        // A member who stood in the branch at the end of 2025, with a pledge of 2025 done.
        var (moverId, moverName) = await app.DbAsync(async db =>
        {
            var x = await db.Members.Where(m => m.BranchId == unit && m.Status == MemberStatus.Active && m.Id != me && m.Position != Positions.Secretary
                                                && db.MemberBranchPeriods.Any(p => p.MemberId == m.Id && p.BranchId == unit && p.ValidFrom <= new DateOnly(2025, 12, 31) && p.ValidTo == null))
                .OrderBy(m => m.Id).Select(m => new { m.Id, m.FullName }).FirstAsync();
            return (x.Id, x.FullName);
        });
        const string content = "Sửa 30 m rãnh thoát nước ngõ 7";
        await app.AddPledgeAsync(moverId, PledgeStatus.Done, content, 2025);
        await app.DbAsync(async db =>
        {
            var m = await db.Members.SingleAsync(x => x.Id == moverId);
            await HocLamTheoBac.Web.Data.MemberTransfers.TransferAsync(db, m, tdp2, TestClock.Today, default);
            await db.SaveChangesAsync();
        });
        async Task<HashSet<int>> MembersOnAsync(string day)
        {
            await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"SELECT DISTINCT member_id FROM member_branch_periods WHERE branch_id = {unit} AND valid_from <= DATE '{day}' AND (valid_to IS NULL OR valid_to > DATE '{day}')", conn);
            var ids = new HashSet<int>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetInt32(0));
            return ids;
        }
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        async Task<(string Text, HashSet<int> Ids)> SheetAsync(int year)
        {
            var pdf = await client.GetByteArrayAsync($"/Pledges/Sheets/{unit}/{year}/ket-qua");
            var ids = (await QrDecode.PerPageAsync(pdf)).SelectMany(c => c).Select(c => int.Parse(AnyYearUrl().Match(c).Groups[1].Value)).ToHashSet();
            return (Regex.Replace(await PdfText.ExtractAsync(pdf), @"\s+", " "), ids);
        }
        var past = await SheetAsync(2025);
        Assert.Contains(moverId, past.Ids);
        Assert.Equal(await MembersOnAsync("2025-12-31"), past.Ids);
        Assert.Contains(moverName, past.Text);
        Assert.Contains(content, past.Text);
        var open = await SheetAsync(TestClock.Today.Year);
        Assert.DoesNotContain(moverId, open.Ids);
        Assert.Equal(await MembersOnAsync(TestClock.Today.ToString("yyyy-MM-dd")), open.Ids);
    }

    [GeneratedRegex(@"^http://localhost/Pledges/Member/(\d+)/\d+$")]
    private static partial Regex AnyYearUrl();
}
