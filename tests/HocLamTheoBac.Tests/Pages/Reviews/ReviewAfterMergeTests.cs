using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Reviews;

/// <summary>
/// Found by the walk of session 11: after two branches merged today, the survivor's review page of a past year listed
/// today's members (both branches') and the merged branch's none, while the dashboard and the sheet's grade summary
/// counted each branch's members of then. The review lists the branch's members on the year's as-of day.
/// </summary>
public sealed class ReviewAfterMergeTests(ReviewAfterMergeTests.Site app) : IClassFixture<ReviewAfterMergeTests.Site>
{
    /// <summary>A database of its own: the test merges two branches.</summary>
    public sealed class Site : AppFactory;

    [Fact]
    public async Task A_past_year_s_review_lists_each_branch_s_members_of_then_after_a_merge_today()
    {
        var (survivor, merged) = (await app.OrgIdAsync("TQ-TP-PT-TDP1"), await app.OrgIdAsync("TQ-TP-PT-TDP2"));
        // Counted from the periods, apart from the page: the members each branch had on 31/12/2025.
        async Task<List<int>> ThenAsync(int branch) => await app.DbAsync(db => db.MemberBranchPeriods
            .Where(p => p.BranchId == branch && p.ValidFrom <= new DateOnly(2025, 12, 31) && (p.ValidTo == null || p.ValidTo > new DateOnly(2025, 12, 31)))
            .Select(p => p.MemberId).Distinct().OrderBy(x => x).ToListAsync());
        var (survivorThen, mergedThen) = (await ThenAsync(survivor), await ThenAsync(merged));
        Assert.True(survivorThen.Count > 0 && mergedThen.Count > 0);

        await app.DbAsync(async db =>
        {
            var source = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == merged);
            var into = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == survivor);
            Assert.Null(await Restructuring.MergeAsync(db, source, into, db.Clock.Today, default));
        });

        var admin = await app.SignedInAsync("admin@hlb.local");
        async Task<List<int>> ListedAsync(int branch, int year) =>
            [.. Regex.Matches(await admin.HtmlAsync($"/Reviews/Branch/{branch}/{year}"), "<tr data-member=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value)).Order()];
        Assert.Equal(survivorThen, await ListedAsync(survivor, 2025));
        Assert.Equal(mergedThen, await ListedAsync(merged, 2025));
        // A member's own sheet of 2025 is of the branch of then, as the branch's PDF (the attack walk of session 14: headed by
        // today's branch, with its summary). The survivor's secretary prints it (the member is hers today) without the
        // merged branch's summary, which she may not see; the administrator gets the summary, the same as the branch PDF's.
        var moved = mergedThen[0];
        var sheet = Regex.Replace(await PdfText.ExtractAsync(await admin.GetByteArrayAsync($"/Reviews/Sheet/{moved}/2025")), "\\s+", " ");
        var branchPdf = Regex.Replace(await PdfText.ExtractAsync(await admin.GetByteArrayAsync($"/Reviews/Branch/{merged}/2025?handler=Pdf")), "\\s+", " ");
        Assert.Contains("CHI BỘ TỔ DÂN PHỐ 2", sheet);
        Assert.DoesNotContain("CHI BỘ TỔ DÂN PHỐ 1", sheet);
        string Summary(string text) => Regex.Match(text, "Đảng viên tham dự học tập chuyên đề: [^.]*\\.").Value;
        Assert.NotEqual("", Summary(branchPdf));
        Assert.Equal(Summary(branchPdf), Summary(sheet));
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var hers = Regex.Replace(await PdfText.ExtractAsync(await secretary.GetByteArrayAsync($"/Reviews/Sheet/{moved}/2025")), "\\s+", " ");
        Assert.Contains("CHI BỘ TỔ DÂN PHỐ 2", hers);
        Assert.Equal("", Summary(hers));

        // Today the survivor holds both.
        Assert.Equal(survivorThen.Concat(mergedThen).Order().ToList(), await ListedAsync(survivor, 2026));

        // The merged branch's dashboard and grid say so, with a link to the survivor's same page, which opens (the walk of
        // session 12: they said "chưa có số liệu" and "0/0" without a word); the survivor's say nothing of the kind.
        var day = TestClock.Today.ToString("dd/MM/yyyy");
        // The walk of session 13: the review and the draft report said nothing either.
        foreach (var (page, survivorPage) in new[]
                 {
                     ($"/Reports/{merged}/2026", $"/Reports/{survivor}/2026"), ($"/Pledges/Branch/{merged}?year=2026", $"/Pledges/Branch/{survivor}?year=2026"),
                     ($"/Reviews/Branch/{merged}/2026", $"/Reviews/Branch/{survivor}/2026"), ($"/Reports/Draft/{merged}/2026", $"/Reports/Draft/{survivor}/2026"),
                 })
        {
            var html = System.Net.WebUtility.HtmlDecode(await admin.HtmlAsync(page));
            var note = Regex.Match(html, "<div class=\"alert alert-secondary\" role=\"status\" id=\"closed-note\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Equal($"Chi bộ Tổ dân phố 2 đã hợp nhất vào <a href=\"{survivorPage}\">Chi bộ Tổ dân phố 1</a> từ ngày {day}; đảng viên và số liệu từ ngày đó ở đơn vị tiếp nhận.",
                Regex.Replace(note.Trim(), "\\s+", " "));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync(survivorPage)).StatusCode);
            Assert.DoesNotContain("id=\"closed-note\"", await admin.HtmlAsync(survivorPage));
        }
        // The merged unit's own page names the unit merged into with a link (it was plain text), which opens.
        var details = Regex.Replace(System.Net.WebUtility.HtmlDecode(await admin.HtmlAsync($"/Orgs/Details/{merged}")), "\\s+", " ");
        Assert.Contains($"Đã giải thể/hợp nhất ngày {day} (hợp nhất vào <a href=\"/Orgs/Details/{survivor}\">Chi bộ Tổ dân phố 1</a>)", details);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync($"/Orgs/Details/{survivor}")).StatusCode);
        // The merged branch's secretary is told on signing in (the walk of session 13).
        var home = Regex.Replace(System.Net.WebUtility.HtmlDecode(await (await app.SignedInAsync("bithu2@hlb.local")).HtmlAsync("/")), "\\s+", " ");
        Assert.Contains($"Bí thư chi bộ – Chi bộ Tổ dân phố 2 <span class=\"text-danger\">(đã hợp nhất vào Chi bộ Tổ dân phố 1 từ ngày {day}; liên hệ quản trị viên", home);
        // ... with no link to the merged branch's page, which answers 404 to her (the second walk).
        Assert.DoesNotContain($"href=\"/Orgs/Details/{merged}\"", home);
        // The pages of the menu answer her 404 with why, not the generic "không tồn tại" (the walk of session 19).
        var mergedSecretary = await app.SignedInAsync("bithu2@hlb.local");
        foreach (var page in new[] { "/Reports", "/StudySessions", "/Models", $"/Pledges/Branch/{merged}?year=2026" })
        {
            var r = await mergedSecretary.GetAsync(page);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, r.StatusCode);
            Assert.Contains(HocLamTheoBac.Web.Pages.ErrorModel.RolesOnClosedUnits, System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        }
        // An address that is no page is the generic 404 for her too (WALK20).
        var typo = await mergedSecretary.GetAsync("/Khong-co-trang-nay");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, typo.StatusCode);
        Assert.DoesNotContain(HocLamTheoBac.Web.Pages.ErrorModel.RolesOnClosedUnits, System.Net.WebUtility.HtmlDecode(await typo.Content.ReadAsStringAsync()));
        // Anyone else's 404 stays the generic one: a secretary of an open branch outside her subtree.
        var other = await (await app.SignedInAsync("bithu@hlb.local")).GetAsync($"/Pledges/Branch/{await app.OrgIdAsync("TQ-TP-MX-TDP5")}?year=2026");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
        var otherHtml = System.Net.WebUtility.HtmlDecode(await other.Content.ReadAsStringAsync());
        Assert.DoesNotContain(HocLamTheoBac.Web.Pages.ErrorModel.RolesOnClosedUnits, otherHtml);
        Assert.Contains("nằm ngoài phạm vi quyền của bạn", otherHtml);
    }
}
