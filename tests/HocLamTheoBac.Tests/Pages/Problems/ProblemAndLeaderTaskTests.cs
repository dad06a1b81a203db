using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Problems;

public sealed class ProblemAndLeaderTaskTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly DateOnly Today = TestClock.Today;

    private static string RowOf(string html, string title)
    {
        var m = Regex.Match(html, "<tr[^>]*>(?:(?!</tr>)[\\s\\S])*?" + Regex.Escape(title) + "[\\s\\S]*?</tr>");
        Assert.True(m.Success, $"no row for {title}");
        return m.Value;
    }

    [Fact]
    public async Task An_unresolved_problem_past_its_deadline_is_flagged_for_escalation_and_a_resolved_or_future_one_is_not()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var year = Today.Year;
        await app.DbAsync(async db =>
        {
            db.PressingProblems.AddRange(
                new PressingProblem { OrgUnitId = pt, Year = year, Title = "Rác thải tồn đọng chợ phường", Owner = "Chủ tịch UBND phường", Deadline = Today.AddDays(-1) },
                new PressingProblem { OrgUnitId = pt, Year = year, Title = "Lấn chiếm vỉa hè", Deadline = Today.AddDays(-10), Outcome = ProblemOutcome.Resolved, ResolvedOn = Today.AddDays(-12) },
                new PressingProblem { OrgUnitId = pt, Year = year, Title = "Đèn chiếu sáng ngõ 5", Deadline = Today.AddDays(30) });
            await db.SaveChangesAsync();
        });
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var html = await client.HtmlAsync($"/Problems?unitId={pt}&year={year}");
        Assert.Contains("Quá hạn – báo cáo cấp trên", RowOf(html, "Rác thải tồn đọng chợ phường"));
        Assert.DoesNotContain("Quá hạn", RowOf(html, "Lấn chiếm vỉa hè"));
        Assert.DoesNotContain("Quá hạn", RowOf(html, "Đèn chiếu sáng ngõ 5"));
        Assert.Contains("Đăng ký 3 vấn đề; đã giải quyết 1; quá hạn 1.", html);
    }

    [Fact]
    public async Task A_committee_registers_a_problem_then_records_its_outcome_and_a_stale_update_is_refused()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Problems/Edit?unitId={pt}&year=2025", new()
        {
            ["Input.Title"] = "Ngập úng đường Tân Trào", ["Input.Owner"] = "Phó Bí thư Đảng ủy", ["Input.Deadline"] = "2025-10-31", ["Input.Outcome"] = "1",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var (id, version) = await app.DbAsync(async db => await db.PressingProblems.Where(p => p.Title == "Ngập úng đường Tân Trào").Select(p => new ValueTuple<int, uint>(p.Id, p.Version)).SingleAsync());
        var fields = new Dictionary<string, string>
        {
            ["Input.Title"] = "Ngập úng đường Tân Trào", ["Input.Deadline"] = "2025-10-31", ["Input.Outcome"] = "2",
            ["Input.ProgressNotes"] = "Đã nạo vét cống", ["Input.Version"] = version.ToString(),
        };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Problems/Edit/{id}", new(fields))).StatusCode);
        var stale = await client.PostFormAsync($"/Problems/Edit/{id}", new(fields) { ["Input.Outcome"] = "4", ["Input.ProgressNotes"] = "Ghi chép của tab hai" });
        var html = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        Assert.Contains("vừa được người khác cập nhật", html);
        // What tab two typed stays in the form, the fields saved otherwise are named with their values (the walk of session 16).
        Assert.Matches(">\\s*Ghi chép của tab hai</textarea>", html);
        Assert.Contains($"Bản đang lưu khác biểu mẫu của bạn ở: Tiến độ: “Đã nạo vét cống”; Kết quả giải quyết: Đã giải quyết; Ngày giải quyết: {Today:dd/MM/yyyy}.", html);
        var saved = await app.DbAsync(db => db.PressingProblems.SingleAsync(p => p.Id == id));
        Assert.Equal(ProblemOutcome.Resolved, saved.Outcome);
        Assert.NotNull(saved.ResolvedOn);
        Assert.Equal("Đã nạo vét cống", saved.ProgressNotes);
        // The form now carries the current version: saving again overwrites knowingly.
        var carried = System.Text.RegularExpressions.Regex.Match(html, "name=\"Input.Version\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.Equal(saved.Version.ToString(), carried);
    }

    /// <summary>The walk of session 16: a closed year's forms showed "Lưu" and said the year was closed only after typing.</summary>
    [Fact]
    public async Task A_closed_years_problem_task_and_model_forms_say_so_before_typing_and_offer_no_button()
    {
        var ys = await app.OrgIdAsync("TQ-YS");
        await app.DbAsync(async db =>
        {
            var plan = await db.PlanYears.FirstOrDefaultAsync(p => p.OrgUnitId == ys && p.Year == 2024);
            if (plan is null) db.PlanYears.Add(plan = new PlanYear { OrgUnitId = ys, Year = 2024, Theme = "Chuyên đề năm 2024" });
            plan.ClosedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        foreach (var (url, what) in new[] { ($"/Problems/Edit?unitId={ys}&year=2024", "vấn đề bức xúc"), ($"/LeaderTasks/Edit?unitId={ys}&year=2024", "nhiệm vụ đột phá"),
                     ($"/Models/Create?unitId={ys}&year=2024", "mô hình, điển hình") })
        {
            var html = WebUtility.HtmlDecode(await client.HtmlAsync(url));
            Assert.Contains($"Năm 2024 đã khóa sổ: {what} chỉ được xem.", html);
            Assert.DoesNotContain("<button type=\"submit\" class=\"btn btn-primary\">", html);
        }
        Assert.Contains("<button type=\"submit\" class=\"btn btn-primary\">Lưu</button>", await client.HtmlAsync($"/Problems/Edit?unitId={ys}&year=2025"));

        // The lists of that year offer no add buttons either (the walk of session 16: they led to the read-only forms),
        // and the replication form says so and refuses a forged post; the open year keeps them.
        foreach (var (list, what, links) in new[]
                 {
                     ("/Problems", "vấn đề bức xúc", new[] { "/Problems/Edit?unitId=" }), ("/LeaderTasks", "nhiệm vụ đột phá", new[] { "/LeaderTasks/Edit?unitId=" }),
                     ("/Models", "mô hình, điển hình", new[] { "/Models/Create?unitId=", "/Models/Replicate?unitId=" }),
                     ("/Indicators", "chỉ số", new[] { "name=\"Input.Name\"" }),
                 })
        {
            var closed = WebUtility.HtmlDecode(await client.HtmlAsync($"{list}?unitId={ys}&year=2024"));
            Assert.Contains($"Năm 2024 đã khóa sổ: {what} chỉ được xem.", closed);
            var open = WebUtility.HtmlDecode(await client.HtmlAsync($"{list}?unitId={ys}&year=2025"));
            Assert.DoesNotContain("đã khóa sổ", open);
            foreach (var link in links)
            {
                Assert.DoesNotContain(link, closed);
                Assert.Contains(link, open);
            }
        }
        var replicate = WebUtility.HtmlDecode(await client.HtmlAsync($"/Models/Replicate?unitId={ys}&year=2024"));
        Assert.Contains("Năm 2024 đã khóa sổ: mô hình, điển hình chỉ được xem.", replicate);
        Assert.DoesNotContain("Ghi nhận</button>", replicate);
        var before = await app.DbAsync(db => db.ModelReplications.CountAsync());
        var forged = await client.PostFormAsync($"/Models/Replicate?unitId={ys}&year=2024",
            new() { ["Input.ModelId"] = "1", ["Input.ReplicatedOn"] = "2024-06-01" }, getUrl: $"/Models/Replicate?unitId={ys}&year=2025");
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains("Năm 2024 đã khóa sổ: số liệu của năm này chỉ được xem", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()));
        Assert.Equal(before, await app.DbAsync(db => db.ModelReplications.CountAsync()));
    }

    /// <summary>The walk of session 16: a problem "resolved" on 01/01/2030 was saved and counted as resolved.</summary>
    [Fact]
    public async Task An_outcome_dated_after_today_is_refused_and_nothing_is_saved()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Problems/Edit?unitId={pt}&year=2026", new()
        {
            ["Input.Title"] = "Giải quyết trong tương lai", ["Input.Outcome"] = "2", ["Input.ResolvedOn"] = "2030-01-01",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains($"Ngày có kết quả 01/01/2030 không được sau ngày hôm nay ({Today:dd/MM/yyyy}).", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.PressingProblems.AnyAsync(p => p.Title == "Giải quyết trong tương lai")));
    }

    [Fact]
    public async Task A_second_tab_deleting_or_saving_a_problem_already_deleted_is_told_so_while_another_district_still_gets_404()
    {
        var pt = await app.OrgIdAsync("TQ-YS");
        var (id, version) = await app.DbAsync(async db =>
        {
            var p = new PressingProblem { OrgUnitId = pt, Year = 2025, Title = "Vấn đề hai tab" };
            db.Add(p);
            await db.SaveChangesAsync();
            return (p.Id, p.Version);
        });
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var form = new Dictionary<string, string> { ["Input.Version"] = version.ToString(), ["Input.Title"] = "Nội dung gõ ở tab hai", ["Input.Outcome"] = "1" };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Problems/Edit/{id}?handler=Delete", new(form))).StatusCode);

        var list = $"/Problems?unitId={pt}&year=2025";
        var again = await client.PostFormAsync($"/Problems/Edit/{id}?handler=Delete", new(form), list);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("Vấn đề này vừa bị người khác xóa.", await client.HtmlAsync(again.Headers.Location!.OriginalString));
        var save = await client.PostFormAsync($"/Problems/Edit/{id}", new(form), list);
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        var html = await save.Content.ReadAsStringAsync();
        Assert.Contains("Vấn đề này vừa bị người khác xóa.", html);
        Assert.Contains("Nội dung gõ ở tab hai", html);
        Assert.Equal("Vấn đề hai tab", await app.DbAsync(db => db.PressingProblems.IgnoreQueryFilters().Where(p => p.Id == id).Select(p => p.Title).SingleAsync()));

        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var own = $"/Problems?unitId={await app.OrgIdAsync("TQ-TP")}&year=2025";
        Assert.Equal(HttpStatusCode.NotFound, (await city.PostFormAsync($"/Problems/Edit/{id}?handler=Delete", new(form), own)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await city.PostFormAsync($"/Problems/Edit/{id}", new(form), own)).StatusCode);
    }

    [Fact]
    public async Task City_staff_cannot_reach_Yen_Son_problems_or_leader_tasks()
    {
        var ys = await app.OrgIdAsync("TQ-YS");
        var (problem, task) = await app.DbAsync(async db =>
        {
            var p = new PressingProblem { OrgUnitId = ys, Year = 2025, Title = "Vấn đề của Yên Sơn" };
            var t = new LeaderTask { OrgUnitId = ys, Year = 2025, LeaderName = "Bí thư Huyện ủy", Title = "Nhiệm vụ của Yên Sơn" };
            db.AddRange(p, t);
            await db.SaveChangesAsync();
            return (p.Id, t.Id);
        });
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Problems/Edit/{problem}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Problems?unitId={ys}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/LeaderTasks/Edit/{task}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/LeaderTasks?unitId={ys}")).StatusCode);
        var tp = await app.OrgIdAsync("TQ-TP");
        var post = await client.PostFormAsync($"/LeaderTasks/Edit/{task}", new() { ["Input.LeaderName"] = "X", ["Input.Title"] = "Chiếm quyền" }, $"/LeaderTasks/Edit?unitId={tp}");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("Nhiệm vụ của Yên Sơn", await app.DbAsync(db => db.LeaderTasks.Where(t => t.Id == task).Select(t => t.Title).SingleAsync()));
    }

    [Fact]
    public async Task A_committee_assigns_breakthrough_tasks_to_named_leaders_and_sees_how_many_leaders_and_how_many_are_done()
    {
        var tp = await app.OrgIdAsync("TQ-TP");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        foreach (var (leader, title) in new[] { ("Nguyễn Văn An", "Cải cách thủ tục hành chính"), ("Nguyễn Văn An", "Chuyển đổi số"), ("Trần Thị Hà", "Xử lý rác thải nhựa") })
        {
            var r = await client.PostFormAsync($"/LeaderTasks/Edit?unitId={tp}&year=2025", new() { ["Input.LeaderName"] = leader, ["Input.LeaderPosition"] = "Phó Bí thư", ["Input.Title"] = title, ["Input.Status"] = "1" });
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        }
        var (id, version) = await app.DbAsync(async db => await db.LeaderTasks.Where(t => t.Title == "Chuyển đổi số").Select(t => new ValueTuple<int, uint>(t.Id, t.Version)).SingleAsync());
        await client.PostFormAsync($"/LeaderTasks/Edit/{id}", new() { ["Input.LeaderName"] = "Nguyễn Văn An", ["Input.Title"] = "Chuyển đổi số", ["Input.Status"] = "2", ["Input.Outcome"] = "100% hồ sơ trực tuyến", ["Input.Version"] = version.ToString() });
        var html = await client.HtmlAsync($"/LeaderTasks?unitId={tp}&year=2025");
        Assert.Contains("3 nhiệm vụ giao cho 2 đồng chí; hoàn thành 1.", html);
        Assert.Contains("100% hồ sơ trực tuyến", html);
        var missing = await client.PostFormAsync($"/LeaderTasks/Edit?unitId={tp}&year=2025", new() { ["Input.Title"] = "Không có người" });
        Assert.Contains("Vui lòng nhập họ tên người đứng đầu.", await missing.Content.ReadAsStringAsync());
    }
}
