using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// The grid reads a narrow roster of every listed member and the texts of the shown page only (docs/performance.md, "branch
/// grid"): page two must show its own members with their own texts, and the headline and the deadline list must still
/// count the whole branch — checked against an independent SQL count.
/// </summary>
public sealed class PledgeGridPagingTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    [Fact]
    public async Task Page_two_shows_its_own_members_and_texts_and_the_headline_and_deadline_list_count_every_page()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var today = TestClock.Today;
        var statuses = new[] { PledgeStatus.Submitted, PledgeStatus.Approved, PledgeStatus.Done, PledgeStatus.Draft, PledgeStatus.ReportedDone, PledgeStatus.NotDone };
        // 130 members standing here since 1/1, each with one pledge of a status in turn; every tenth is overdue.
        var pledgeOf = await app.DbAsync(async db =>
        {
            var members = Enumerable.Range(1, 130).Select(i => new Member { FullName = $"Vũ Phân Trang {i:000}", BranchId = tdp2 }).ToList();
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
            db.MemberBranchPeriods.AddRange(members.Select(m => new MemberBranchPeriod { MemberId = m.Id, BranchId = tdp2, ValidFrom = new DateOnly(Y, 1, 1) }));
            var pledges = members.Select((m, i) => new Pledge
            {
                MemberId = m.Id, BranchId = tdp2, Year = Y, Content = $"Việc riêng của {m.FullName}", Solution = $"Cách làm của {m.FullName}",
                Status = statuses[i % statuses.Length], Deadline = (i + 1) % 10 == 0 ? today.AddDays(-3) : new DateOnly(Y, 12, 31),
            }).ToList();
            db.Pledges.AddRange(pledges);
            await db.SaveChangesAsync();
            return pledges.ToDictionary(p => p.MemberId, p => (p.Id, p.Content, Solution: p.Solution!, p.Status, p.Deadline));
        });

        // The oracle, in SQL: who is listed, who stands here on the as-of day, and what counts here (CountingRules.cs's rules, written out).
        var asOf = await app.DbAsync(db => Task.FromResult(db.Clock.AsOf(Y)));
        var registered = PledgeSets.Registered.Select(s => (int)s).ToArray();
        var done = PledgeSets.Done.Select(s => (int)s).ToArray();
        var listed = await app.DbAsync(db => db.Database.SqlQuery<int>($"""
            SELECT id AS "Value" FROM members WHERE branch_id = {tdp2} AND status = {(int)MemberStatus.Active}
            UNION SELECT member_id FROM member_branch_periods WHERE branch_id = {tdp2} AND valid_from <= {asOf} AND (valid_to IS NULL OR valid_to > {asOf})
            UNION SELECT member_id FROM pledges WHERE branch_id = {tdp2} AND year = {Y}
            """).ToListAsync());
        var counts = await app.DbAsync(db => db.Database.SqlQuery<Oracle>($"""
            WITH stands AS (SELECT member_id, branch_id FROM member_branch_periods WHERE valid_from <= {asOf} AND (valid_to IS NULL OR valid_to > {asOf})),
                 counted AS (SELECT p.member_id, p.status, s.branch_id = {tdp2} AS here FROM pledges p LEFT JOIN stands s ON s.member_id = p.member_id
                             WHERE p.year = {Y} AND coalesce(s.branch_id, p.branch_id) = {tdp2} AND p.status = ANY({registered}))
            SELECT (SELECT count(*)::int FROM stands WHERE branch_id = {tdp2}) AS "Members",
                   (SELECT count(DISTINCT member_id)::int FROM counted WHERE here) AS "Registered",
                   (SELECT count(*)::int FROM counted) AS "Pledges",
                   (SELECT count(*)::int FROM counted WHERE status = ANY({done})) AS "Done"
            """).SingleAsync());

        var client = await app.SignedInAsync("bithu2@hlb.local");
        var url = $"/Pledges/Branch/{tdp2}?year={Y}";
        var first = await client.HtmlAsync(url);
        var second = await client.HtmlAsync(url + "&pg=2");
        List<int> MembersOn(string html) => Regex.Matches(html, "<span id=\"mn-(\\d+)\">").Select(x => int.Parse(x.Groups[1].Value)).ToList();
        var (onFirst, onSecond) = (MembersOn(first), MembersOn(second));

        // Every listed member on exactly one of the two pages, a hundred on the first.
        Assert.Equal(BranchModel.MembersPerPage, onFirst.Count);
        Assert.Empty(onFirst.Intersect(onSecond));
        Assert.Equal(listed.Order(), onFirst.Concat(onSecond).Order());
        Assert.Contains(onSecond, pledgeOf.ContainsKey);

        // The headline counts the whole branch, the same on both pages.
        foreach (var html in new[] { first, second })
        {
            Assert.Contains($"Đã đăng ký: <strong>{counts.Registered}/{counts.Members}</strong>", html);
            Assert.Contains($"data-testid=\"done-count\">{counts.Done}/{counts.Pledges}</strong>", html);
        }

        // Each page shows its own members' texts, in the pledge's own row; the other page's texts are not in its rows.
        foreach (var (html, on, off) in new[] { (first, onFirst, onSecond), (second, onSecond, onFirst) })
        {
            foreach (var m in on.Where(pledgeOf.ContainsKey))
            {
                var p = pledgeOf[m];
                Assert.Contains($"id=\"pc-{p.Id}\">{p.Content}</td><td class=\"g-s\">{p.Solution}</td>", html);
            }
            foreach (var m in off.Where(pledgeOf.ContainsKey))
                Assert.DoesNotContain($"id=\"pc-{pledgeOf[m].Id}\"", html);
        }

        // The deadline list is the whole branch's, on every page, with the texts of pledges whose members are on the other page.
        var overdue = pledgeOf.Values.Where(p => p.Deadline < today && PledgeSets.IsOpen(p.Status)).ToList();
        Assert.Contains(overdue, p => onSecond.Contains(pledgeOf.Single(x => x.Value.Id == p.Id).Key));
        foreach (var html in new[] { first, second })
        {
            var list = html[html.IndexOf("id=\"deadlines-h\"", StringComparison.Ordinal)..html.IndexOf("</section>", StringComparison.Ordinal)];
            foreach (var p in overdue)
                Assert.Contains($"<a href=\"/Pledges/Details/{p.Id}\">", list);
            foreach (var p in overdue)
                Assert.Contains($"– {p.Content}</a>", list);
        }

        // A pledge's check box and status link are named by its own cells: the content and the member's name.
        var shown = pledgeOf[onSecond.First(pledgeOf.ContainsKey)];
        var owner = onSecond.First(pledgeOf.ContainsKey);
        Assert.Contains($"aria-labelledby=\"g-sel pc-{shown.Id} g-of mn-{owner}\"", second);
        Assert.Contains($"id=\"ps-{shown.Id}\" aria-labelledby=\"ps-{shown.Id} g-det mn-{owner}\"", second);
        Assert.Contains("<span hidden id=\"g-sel\">Chọn việc làm theo</span>", second);
    }

    private sealed record Oracle(int Members, int Registered, int Pledges, int Done);
}
