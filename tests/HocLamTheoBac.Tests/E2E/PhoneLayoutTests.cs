using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>
/// The secretary's two wide forms on a 390×844 phone (the Chromium walk of session 14): the member review's grading table
/// (504 px in a 366-px box, the grade select off screen) and the grid's opened row (611 px, "Giải pháp" and "Thời hạn"
/// beyond the edge) are stacked on a narrow screen, the desk layout is the table it was; and on a touch screen the grid's
/// check boxes are a 44-px target (they were 24 px). site.css only: no markup was added to the grid's rows.
/// </summary>
[Collection("browser")]
public sealed class PhoneLayoutTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    /// <summary>A 390×844 phone with a touch screen (Chromium then matches <c>pointer: coarse</c>, as on a real phone).</summary>
    private async Task<IPage> PhoneAsync()
    {
        var browser = await app.BrowserForAsync("vi-VN");
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, ViewportSize = new() { Width = 390, Height = 844 }, Locale = "vi-VN", HasTouch = true, IsMobile = true, DeviceScaleFactor = 1,
        });
        return await context.NewPageAsync();
    }

    /// <summary>[scrollWidth, clientWidth] of the page and of the first element matching <paramref name="selector"/>.</summary>
    private static Task<int[]> WidthsAsync(IPage page, string selector) => page.EvaluateAsync<int[]>(
        "s => { const e = document.querySelector(s); return [document.scrollingElement.scrollWidth, window.innerWidth, e.scrollWidth, e.clientWidth]; }", selector);

    private static void Fits(int[] w, string what)
    {
        Assert.True(w[0] <= w[1], $"{what}: the page is {w[0]} px wide in a {w[1]}-px window");
        Assert.True(w[2] <= w[3], $"{what}: the table is {w[2]} px wide in a box of {w[3]} px");
    }

    private static async Task OnScreenAsync(ILocator box, string what, int width = 390)
    {
        var b = await box.BoundingBoxAsync();
        Assert.NotNull(b);
        Assert.True(b.X >= 0 && b.X + b.Width <= width, $"{what} lies at {b.X:0}–{b.X + b.Width:0} px (screen {width} px)");
    }

    /// <summary>The walk of session 22: a refused address names the value (up to 40 letters); one without a space made the error
    /// page 463 px wide on a 390-px phone, the sentence cut at the screen's edge.</summary>
    [Fact]
    public async Task On_a_phone_a_long_refused_value_wraps_on_the_error_page()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        var response = await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={new string('9', 300)}&year=2026");
        Assert.Equal(400, response!.Status);
        var sentence = page.GetByText("mỗi giá trị chỉ được ghi một lần");
        await Assertions.Expect(sentence).ToBeVisibleAsync();
        // The layout width, not window.innerWidth: a phone's window widens to what overflows.
        var w = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth, document.querySelector('main p').scrollWidth, document.querySelector('main p').clientWidth]");
        Assert.True(w[0] <= 390 && w[0] <= w[1], $"the error page is {w[0]} px wide in a {w[1]}-px layout (screen 390 px)");
        Assert.True(w[2] <= w[3], $"the refusal's sentence is {w[2]} px wide in its {w[3]}-px box");
        await OnScreenAsync(sentence, "the refusal's sentence");
    }

    [Fact]
    public async Task On_a_phone_each_members_grade_and_note_are_on_the_screen_and_on_a_desk_the_grades_are_a_table()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var url = $"/Reviews/Branch/{tdp1}/{PledgeData.Year}";
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync(url);
        var selects = page.Locator("select[id^='g-']");
        Assert.True(await selects.CountAsync() >= 3, "the branch has members to grade");
        Fits(await WidthsAsync(page, ".review-grades"), "review");
        // Each member's block: the name, the figures (named: the column headers are off), the grade, the note and the PDF, none
        // beyond the screen's edge, and the grade under the member's own name.
        for (var n = 0; n < 3; n++)
        {
            var row = page.Locator(".review-grades tbody tr").Nth(n);
            await OnScreenAsync(row.Locator("select"), $"member {n + 1}'s grade");
            await OnScreenAsync(row.Locator("input[id^='n-']"), $"member {n + 1}'s note");
            await OnScreenAsync(row.Locator("a[href^='/Reviews/Sheet/']"), $"member {n + 1}'s PDF link");
            var name = await row.Locator("td").First.BoundingBoxAsync();
            var grade = await row.Locator("select").BoundingBoxAsync();
            Assert.True(grade!.Y >= name!.Y + name.Height - 1, $"member {n + 1}'s grade ({grade.Y:0} px) is not under the name (ends {name.Y + name.Height:0} px)");
        }
        // The figures are named on the screen (the column headers are off; the names are the cells' data-label, drawn by site.css).
        var label = await page.Locator(".review-grades tbody tr td[data-figure='pledges']").First.EvaluateAsync<string>("e => getComputedStyle(e, '::before').content");
        Assert.True(label.Contains("Việc làm theo hoàn thành") || label.Contains("attr(data-label)"), $"the pledge figure is not named: {label}");
        // Still a table to a screen reader: its column headers (off the screen) name each member's cells.
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Xếp loại" })).ToBeAttachedAsync();
        Assert.True(await page.GetByRole(AriaRole.Row).CountAsync() > 3, "the review's rows are rows");
        // Chosen with the finger, the grade is saved.
        await selects.First.SelectOptionAsync("Good");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu xếp loại" }).ClickAsync();
        await Assertions.Expect(page.Locator("select[id^='g-']").First).ToHaveValueAsync("Good");
        await BrowserFixture.ScreenshotAsync(page, "review-phone");

        // On a desk it is the table it was: a header row, one line a member, the grade in its column beside the figures.
        var desk = await app.NewPageAsync(1366, 900);
        await BrowserFixture.SignInAsync(desk, "bithu@hlb.local");
        await desk.GotoAsync(url);
        await Assertions.Expect(desk.GetByRole(AriaRole.Columnheader, new() { Name = "Xếp loại" })).ToBeVisibleAsync();
        Assert.Equal("table-row", await desk.Locator(".review-grades tbody tr").First.EvaluateAsync<string>("e => getComputedStyle(e).display"));
        var nameCell = await desk.Locator(".review-grades tbody tr").First.Locator("td").First.BoundingBoxAsync();
        var select = await desk.Locator("select[id^='g-']").First.BoundingBoxAsync();
        Assert.True(select!.X > nameCell!.X + nameCell.Width, "on a desk the grade is in its own column, right of the name");
        await BrowserFixture.ScreenshotAsync(desk, "review-desk");
    }

    [Fact]
    public async Task On_a_phone_an_opened_grid_row_stacks_its_boxes_on_the_screen_and_on_a_desk_they_stay_side_by_side()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var member = (await app.MembersAsync("TQ-TP-PT-TDP1"))[12];
        var pledge = await app.AddPledgeAsync(member.Id, PledgeStatus.Submitted, "Vận động các hộ trong tổ phân loại rác thải tại nguồn, mỗi tháng kiểm tra một lần");
        var url = $"/Pledges/Branch/{tdp1}?year={PledgeData.Year}&q={Uri.EscapeDataString(member.Card)}";
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync(url);

        // "Sửa" opens the row in place (pledges.js): the three boxes one under the other, each whole on the screen.
        await page.Locator($"#p-{pledge} a.edit-row").ClickAsync();
        await Assertions.Expect(page.Locator($"#c-{pledge}")).ToBeFocusedAsync();
        await AssertStackedAsync(page, $"#c-{pledge}", $"#s-{pledge}", $"#d-{pledge}", "the opened row");
        await OnScreenAsync(page.Locator($"#ps-{pledge}"), "the opened row's status");
        // Laid out as a CSS grid on the phone, the grid is still a table to a screen reader: rows, column headers, its cells.
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Giải pháp" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator($"#s-{pledge}") })).ToHaveCountAsync(1);
        await OnScreenAsync(page.Locator($"#sel-{pledge}"), "the opened row's check box");
        // ... and so does the member's new row ("Thêm").
        await page.Locator($"#m-{member.Id} a.add-row").ClickAsync();
        await Assertions.Expect(page.Locator($"#nc-{member.Id}")).ToBeFocusedAsync();
        await AssertStackedAsync(page, $"#nc-{member.Id}", $"#ns-{member.Id}", $"#nd-{member.Id}", "the new row");
        await BrowserFixture.ScreenshotAsync(page, "grid-phone-rows-open");
        // The keyboard's order is the row's: content, solution, deadline.
        await page.Locator($"#c-{pledge}").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator($"#s-{pledge}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator($"#d-{pledge}")).ToBeFocusedAsync();

        // Without script the link reloads the grid with the row open, written by the server: stacked the same.
        await page.GotoAsync($"{url}&open={pledge}");
        await AssertStackedAsync(page, $"#c-{pledge}", $"#s-{pledge}", $"#d-{pledge}", "the row opened by the server");

        // On a desk the opened row is the table's row it was: its boxes side by side in their columns.
        var desk = await app.NewPageAsync(1366, 900);
        await BrowserFixture.SignInAsync(desk, "bithu@hlb.local");
        await desk.GotoAsync(url);
        await desk.Locator($"#p-{pledge} a.edit-row").ClickAsync();
        var c = await desk.Locator($"#c-{pledge}").BoundingBoxAsync();
        var s = await desk.Locator($"#s-{pledge}").BoundingBoxAsync();
        var d = await desk.Locator($"#d-{pledge}").BoundingBoxAsync();
        Assert.True(c!.X + c.Width < s!.X && s.X + s.Width < d!.X && Math.Abs(c.Y - s.Y) < 2, $"on a desk the boxes are side by side: {c.X:0}, {s.X:0}, {d.X:0} at {c.Y:0}, {s.Y:0}");
        Assert.Equal("table-row", await desk.Locator($"#p-{pledge}").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        await BrowserFixture.ScreenshotAsync(desk, "grid-desk-row-open");
    }

    private static async Task AssertStackedAsync(IPage page, string content, string solution, string deadline, string what)
    {
        Fits(await WidthsAsync(page, ".pledge-grid"), what);
        var w = await page.EvaluateAsync<int[]>("(() => { const t = document.querySelector('.table-responsive'); return [t.scrollWidth, t.clientWidth]; })()");
        Assert.True(w[0] <= w[1], $"{what}: the grid is {w[0]} px wide in a box of {w[1]} px");
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var (sel, name) in new[] { (content, "Việc làm theo"), (solution, "Giải pháp"), (deadline, "Thời hạn") })
        {
            await OnScreenAsync(page.Locator(sel), $"{what}: “{name}”");
            boxes.Add((await page.Locator(sel).BoundingBoxAsync())!);
            Assert.True(boxes[^1].Width >= 200, $"{what}: “{name}” is {boxes[^1].Width:0} px wide");
        }
        Assert.True(boxes[1].Y >= boxes[0].Y + boxes[0].Height && boxes[2].Y >= boxes[1].Y + boxes[1].Height, $"{what}: the boxes are not one under the other ({boxes[0].Y:0}, {boxes[1].Y:0}, {boxes[2].Y:0})");
    }

    /// <summary>The walk of session 16: the sessions table's "Sửa" was a 30×19-px target on a phone.</summary>
    [Fact]
    public async Task On_a_touch_screen_the_study_sessions_links_are_44_px_targets_and_the_table_fits()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        await app.DbAsync(async db =>
        {
            db.StudySessions.Add(new StudySession { OrgUnitId = tdp1, Year = PledgeData.Year, HeldOn = new DateOnly(PledgeData.Year, 3, 5), Theme = "Buổi học để đo chỗ chạm", Format = SessionFormat.InPerson });
            await db.SaveChangesAsync();
        });
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/StudySessions?unitId={tdp1}&year={PledgeData.Year}");
        Fits(await WidthsAsync(page, "table"), "sessions on a touch screen");
        var links = page.Locator("a[href^='/StudySessions/Edit/'], a[href^='/StudySessions/Attendance/']");
        Assert.True(await links.CountAsync() >= 2, "the session's two links are shown");
        for (var i = 0; i < await links.CountAsync(); i++)
        {
            var b = (await links.Nth(i).BoundingBoxAsync())!;
            Assert.True(b.Width >= 44 && b.Height >= 44, $"“{await links.Nth(i).InnerTextAsync()}” is {b.Width:0}×{b.Height:0} px");
        }
    }

    /// <summary>The walk of session 17: on a touch screen the accounts' e-mail links were 19 px high, a closed year's "Xem điểm
    /// danh" had no target class, and an attendance choice was its 24-px circle.</summary>
    [Fact]
    public async Task On_a_touch_screen_account_links_read_only_marks_and_attendance_choices_are_44_px_targets()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var (closed, open) = await app.DbAsync(async db =>
        {
            var c = new StudySession { OrgUnitId = tdp2, Year = 2022, HeldOn = new DateOnly(2022, 4, 6), Theme = "Buổi năm đã khóa sổ", Format = SessionFormat.InPerson };
            var o = new StudySession { OrgUnitId = tdp2, Year = PledgeData.Year, HeldOn = new DateOnly(PledgeData.Year, 4, 6), Theme = "Buổi để điểm danh", Format = SessionFormat.InPerson };
            db.StudySessions.AddRange(c, o);
            if (!await db.PlanYears.AnyAsync(p => p.OrgUnitId == tdp2 && p.Year == 2022))
                db.PlanYears.Add(new PlanYear { OrgUnitId = tdp2, Year = 2022, Theme = "Năm 2022", ClosedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return (c.Id, o.Id);
        });

        static async Task TargetAsync(ILocator l, string what)
        {
            var b = (await l.BoundingBoxAsync())!;
            Assert.True(b.Width >= 44 && b.Height >= 44, $"{what} is {b.Width:0}×{b.Height:0} px");
        }

        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu2@hlb.local");
        await page.GotoAsync($"/StudySessions?unitId={tdp2}&year=2022");
        Assert.Contains("Năm 2022 đã khóa sổ", await page.Locator("[role=status]").First.InnerTextAsync());
        await TargetAsync(page.Locator($"a[href='/StudySessions/Attendance/{closed}']"), "“Xem điểm danh”");
        // The site's name in the top bar leads home (the walk of session 19: 40 px high).
        await TargetAsync(page.Locator("a.navbar-brand"), "the site's name");

        await page.GotoAsync($"/StudySessions/Attendance/{open}");
        var choices = page.Locator(".attendance-list .form-check-label");
        Assert.True(await choices.CountAsync() >= 3, "each member has the three choices");
        await TargetAsync(choices.First, $"the choice “{await choices.First.InnerTextAsync()}”");
        // Tapping the words chooses (the label is the radio's).
        await choices.Nth(1).TapAsync();
        Assert.True(await page.Locator(".attendance-list input[type=radio]").Nth(1).IsCheckedAsync());

        var admin = await PhoneAsync();
        await BrowserFixture.SignInAsync(admin, "admin@hlb.local");
        await admin.GotoAsync("/Users");
        var emails = admin.Locator("a[href^='/Users/Edit/']");
        Assert.True(await emails.CountAsync() >= 3);
        for (var i = 0; i < 3; i++) await TargetAsync(emails.Nth(i), $"“{await emails.Nth(i).InnerTextAsync()}”");
        await emails.First.ClickAsync();
        await TargetAsync(admin.Locator("a[href='/Users']").Last, "“Về danh sách tài khoản”");
    }

    [Fact]
    public async Task On_a_touch_screen_the_grids_check_boxes_are_a_44_px_target_and_the_grid_still_fits()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var members = await app.MembersAsync("TQ-TP-PT-TDP1");
        var pledges = new List<int>();
        foreach (var m in members.Take(3)) pledges.Add(await app.AddPledgeAsync(m.Id, PledgeStatus.Submitted, $"Tham gia tổng vệ sinh khu dân cư {m.Card}"));
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={PledgeData.Year}&filter=Submitted");
        Assert.True(await page.EvaluateAsync<bool>("matchMedia('(pointer: coarse)').matches"), "the touch screen is emulated");
        Fits(await WidthsAsync(page, ".pledge-grid"), "grid on a touch screen");
        var w = await page.EvaluateAsync<int[]>("(() => { const t = document.querySelector('.table-responsive'); return [t.scrollWidth, t.clientWidth]; })()");
        Assert.True(w[0] <= w[1], $"on a touch screen the grid is {w[0]} px wide in a box of {w[1]} px");

        foreach (var id in pledges.Prepend(0))
        {
            var box = page.Locator(id == 0 ? "#select-all" : $"#sel-{id}");
            await box.ScrollIntoViewIfNeededAsync();
            var b = (await box.BoundingBoxAsync())!;
            var (cx, cy) = (b.X + b.Width / 2, b.Y + b.Height / 2);
            // A 44×44 target around the box's centre: every point 21 px from it (sideways, up, down, corners) is the box.
            foreach (var (dx, dy) in new[] { (-21, 0), (21, 0), (0, -21), (0, 21), (-21, -21), (21, 21), (-21, 21), (21, -21) })
            {
                var hit = await page.EvaluateAsync<string>("p => { const e = document.elementFromPoint(p.x, p.y); return e ? (e.id || e.tagName + '.' + e.className) : 'nothing'; }", new { x = (double)(cx + dx), y = (double)(cy + dy) });
                Assert.True(hit == (id == 0 ? "select-all" : $"sel-{id}"), $"{(id == 0 ? "select-all" : $"sel-{id}")} ({b.Width:0}×{b.Height:0} px): a tap {dx}, {dy} px from its centre reaches {hit}");
            }
        }
        // A tap 20 px beside the box ticks it; the "Sửa" beside it is still its own target.
        await page.Locator($"#sel-{pledges[0]}").ScrollIntoViewIfNeededAsync();
        var first = (await page.Locator($"#sel-{pledges[0]}").BoundingBoxAsync())!;
        await page.Touchscreen.TapAsync(first.X + first.Width / 2 + 20, first.Y + first.Height / 2);
        await Assertions.Expect(page.Locator($"#sel-{pledges[0]}")).ToBeCheckedAsync();
        var edit = (await page.Locator($"#p-{pledges[0]} a.edit-row").BoundingBoxAsync())!;
        Assert.True(edit.X >= first.X + first.Width / 2 + 22 || edit.Y >= first.Y + first.Height / 2 + 22, $"“Sửa” ({edit.X:0}, {edit.Y:0}) lies inside the check box's target");
        Assert.True(edit.Width >= 44 && edit.Height >= 44, $"“Sửa” is {edit.Width:0}×{edit.Height:0} px");
        await OnScreenAsync(page.Locator($"#p-{pledges[0]} a.edit-row"), "“Sửa”");
        // The screen as the finger sees it (a full-page shot resizes the window and loses the touch screen's pointer: coarse).
        Directory.CreateDirectory(Path.Combine(Artifacts.Directory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "screenshots", "grid-phone-touch.png") });

        // By keyboard the box is where it was, just before its row's "Sửa", and shows the focus; Space ticks it.
        await page.Locator($"#sel-{pledges[1]}").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator($"#p-{pledges[1]} a.edit-row")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Assertions.Expect(page.Locator($"#sel-{pledges[1]}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator($"#sel-{pledges[1]}")).ToBeCheckedAsync();
        Assert.Equal("solid", await page.Locator($"#sel-{pledges[1]}").EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
    }

    /// <summary>The walk of session 19: on a touch screen the trail of units above a unit's page and a dashboard ("Tổ chức",
    /// "Tỉnh ủy Tuyên Quang"), the draft's "← Tổng hợp năm", the tree's units and its "N đơn vị trực thuộc" were 19–21 px
    /// high, one above the other.</summary>
    [Fact]
    public async Task On_a_touch_screen_the_trail_of_units_the_drafts_way_back_and_the_trees_entries_are_44_px_targets()
    {
        static async Task TargetAsync(ILocator l, string what)
        {
            var b = (await l.BoundingBoxAsync())!;
            Assert.True(b.Width >= 44 && b.Height >= 44, $"{what} is {b.Width:0}×{b.Height:0} px");
        }
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "admin@hlb.local");

        await page.GotoAsync($"/Orgs/Details/{tdp1}");
        var trail = page.Locator("nav[aria-label='Đường dẫn'] a");
        Assert.True(await trail.CountAsync() >= 2, "the trail names the units above");
        for (var i = 0; i < await trail.CountAsync(); i++) await TargetAsync(trail.Nth(i), $"the trail's “{await trail.Nth(i).InnerTextAsync()}”");

        await page.GotoAsync($"/Reports/{tdp1}/{PledgeData.Year}");
        trail = page.Locator("nav[aria-label='Đường dẫn'] a");
        Assert.True(await trail.CountAsync() >= 2, "the dashboard's trail names the units above");
        await TargetAsync(trail.First, $"the dashboard's trail “{await trail.First.InnerTextAsync()}”");

        await page.GotoAsync($"/Reports/Draft/{pt}/{PledgeData.Year}");
        await TargetAsync(page.Locator("nav[aria-label='Đường dẫn'] a"), "the draft's way back");

        await page.GotoAsync("/Orgs");
        var units = page.Locator(".tree li > a");
        Assert.True(await units.CountAsync() >= 3, "the tree shows units");
        for (var i = 0; i < 3; i++) await TargetAsync(units.Nth(i), $"the tree's “{await units.Nth(i).InnerTextAsync()}”");
        await TargetAsync(page.Locator(".tree summary").First, "the tree's toggle");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "the tree fits the phone");
    }

    /// <summary>The walk of session 19: a theme typed as one long word (1.000 letters, the longest allowed) made the
    /// attendance page, whose title carries it, 13.697 px wide on a phone.</summary>
    [Fact]
    public async Task On_a_phone_a_title_carrying_a_long_unbroken_theme_wraps_and_the_page_fits()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var id = await app.DbAsync(async db =>
        {
            var s = new StudySession { OrgUnitId = tdp1, Year = PledgeData.Year, HeldOn = new DateOnly(PledgeData.Year, 4, 7), Theme = new string('x', 1000), Format = SessionFormat.InPerson };
            db.StudySessions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
        var page = await PhoneAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/StudySessions/Attendance/{id}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"),
            $"the attendance page is {await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth")} px wide");
        await OnScreenAsync(page.Locator("main h1"), "the title");
    }
}

