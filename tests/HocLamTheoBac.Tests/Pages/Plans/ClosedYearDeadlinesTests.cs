using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Plans;

/// <summary>
/// Overdue and due-soon reminders belong to an open year: once the year is closed nothing can be done about a pledge, and
/// the grid, the member's page and the reminders after sign-in stop saying "Quá hạn" or "Sắp đến hạn" (the walk of session
/// 21: a closed grid still listed its deadlines). A class of its own: it closes the demo's current year.
/// </summary>
public sealed class ClosedYearDeadlinesTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Overdue = "Việc quá hạn trước khi khóa sổ", DueSoon = "Việc sắp đến hạn trước khi khóa sổ";

    [Fact]
    public async Task Closing_the_year_ends_its_overdue_and_due_soon_reminders_on_the_grid_the_members_page_and_the_home_page()
    {
        var year = TestClock.Year;
        var me = await app.DemoMemberIdAsync();
        var branch = await app.DbAsync(db => db.Members.Where(m => m.Id == me).Select(m => m.BranchId).SingleAsync());
        await app.DbAsync(async db =>
        {
            db.Pledges.Add(new Pledge { MemberId = me, BranchId = branch, Year = year, Content = Overdue, Deadline = TestClock.Today.AddDays(-3), Status = PledgeStatus.InProgress });
            db.Pledges.Add(new Pledge { MemberId = me, BranchId = branch, Year = year, Content = DueSoon, Deadline = TestClock.Today.AddDays(5), Status = PledgeStatus.Approved });
            db.Pledges.Add(new Pledge { MemberId = me, BranchId = branch, Year = year, Content = "Việc chờ duyệt trước khi khóa sổ", Status = PledgeStatus.Submitted });
            await db.SaveChangesAsync();
        });
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var member = await app.SignedInAsync("dangvien@hlb.local");
        Task<string> GridAsync() => secretary.HtmlAsync($"/Pledges/Branch/{branch}?year={year}");
        Task<string> MineAsync() => member.HtmlAsync($"/Pledges/Mine?year={year}");
        Task<string> HomeAsync() => member.HtmlAsync("/");

        // Open: every page reminds.
        var grid = await GridAsync();
        Assert.Contains("id=\"deadlines-h\"", grid);
        Assert.Contains("<span class=\"small d-block\">Quá hạn</span>", grid);
        Assert.Contains("<span class=\"small d-block\">Sắp đến hạn</span>", grid);
        var mine = await MineAsync();
        Assert.Contains("<strong class=\"ms-1\">Quá hạn</strong>", mine);
        Assert.Contains("<strong class=\"ms-1\">Sắp đến hạn</strong>", mine);
        var home = await HomeAsync();
        // The reminders list "<member> – <content>" (the member's own list below names the content alone).
        Assert.Contains("id=\"reminders-h\"", home);
        Assert.Contains($"– {Overdue}</a>", home);
        Assert.Contains($"– {DueSoon}</a>", home);
        Assert.Contains("đang chờ chi bộ duyệt hoặc xác nhận", await secretary.HtmlAsync("/"));

        // The city closes the year for its subtree.
        var tp = await app.OrgIdAsync("TQ-TP");
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        if (!await app.DbAsync(db => db.PlanYears.AnyAsync(p => p.OrgUnitId == tp && p.Year == year)))
            await city.PostFormAsync($"/Plans/Theme/{tp}?year={year}", new() { ["Plan.Theme"] = $"Chuyên đề năm {year}" }, $"/Plans/Unit/{tp}?year={year}");
        var closed = await city.PostFormAsync($"/Plans/Closing/{tp}?year={year}&handler=Close", new() { ["Confirm"] = "true" }, $"/Plans/Unit/{tp}?year={year}");
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);

        // Closed: the pledges are still shown, read-only, with no reminder of either kind.
        grid = await GridAsync();
        Assert.Contains("đã khóa sổ: việc làm theo chỉ được xem", grid);
        Assert.Contains(Overdue, grid);
        Assert.DoesNotContain("id=\"deadlines-h\"", grid);
        Assert.DoesNotContain("Quá hạn</span>", grid);
        Assert.DoesNotContain("Sắp đến hạn</span>", grid);
        mine = await MineAsync();
        Assert.Contains(DueSoon, mine);
        Assert.DoesNotContain("<strong class=\"ms-1\">Quá hạn</strong>", mine);
        Assert.DoesNotContain("<strong class=\"ms-1\">Sắp đến hạn</strong>", mine);
        home = await HomeAsync();
        Assert.Contains(Overdue, home);
        Assert.DoesNotContain($"– {Overdue}</a>", home);
        Assert.DoesNotContain($"– {DueSoon}</a>", home);
        // Nor does a secretary's home count what waits for her approval in a year she can no longer approve in (WALK22).
        Assert.DoesNotContain("đang chờ chi bộ duyệt hoặc xác nhận", await secretary.HtmlAsync("/"));
    }
}
