using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Paper;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The review PDF is a bundle of sheets, one a member, each handed to its member: each sheet's pages are numbered from its
/// own first page (the walk of session 12 found "7", "8" on the second member's sheet), and a sheet's first page, like a
/// document's, carries no number.
/// </summary>
public sealed class ReviewSheetPagingTests
{
    private static ReviewSheetModel.MemberReview Member(int id, string name, int pledges) => new(id, name, null, null,
        Enumerable.Range(1, pledges).Select(i => new ReviewSheetModel.PledgeResult(
            $"Việc làm theo số {i} của {name}: vận động các hộ trong tổ giữ gìn vệ sinh đường làng, ngõ xóm, trồng cây xanh và dọn rác thải sinh hoạt mỗi tháng một lần",
            PledgeStatus.Done, "Biên bản sinh hoạt chi bộ", [], null)).ToList(),
        2, 3, [], GradeLevel.Good, null);

    [Fact]
    public async Task Each_members_sheet_is_numbered_from_its_own_first_page()
    {
        var model = new ReviewSheetModel("Đảng bộ phường Phan Thiết", "Chi bộ Tổ dân phố 1", 2026,
            [Member(1, "Nguyễn Văn An", 40), Member(2, "Trần Thị Bình", 40), Member(3, "Lê Văn Cường", 1)],
            new Figures { Members = 3 }, new Dictionary<GradeLevel, int>(), new Rate(6, 9));
        var pdf = ReviewSheets.Render(model);
        var pages = (await PdfText.ExtractAsync(pdf)).Split('\f').Where(p => p.Trim().Length > 0).ToList();

        // Where each member's sheet (and the summary) begins: the page naming the member after the title.
        var starts = new List<int>();
        for (var i = 0; i < pages.Count; i++)
            if (pages[i].Contains("PHIẾU TỔNG HỢP") || pages[i].Contains("TÓM TẮT CỦA CHI BỘ")) starts.Add(i);
        Assert.True(pages.Count >= 6, $"40 pledges should take more than one page a sheet ({pages.Count} pages)");
        Assert.Equal(0, starts[0]);
        Assert.Equal(4, starts.Count); // three members and the summary

        for (var i = 0; i < pages.Count; i++)
        {
            var sheetStart = starts.Last(s => s <= i);
            var firstLine = pages[i].Split('\n').First(l => l.Trim().Length > 0).Trim();
            if (i == sheetStart)
                Assert.False(int.TryParse(firstLine, out _), $"page {i + 1} begins a sheet and carries no number, read \"{firstLine}\"");
            else
                Assert.Equal((i - sheetStart + 1).ToString(), firstLine);
        }
        await PdfText.RenderPngAsync(pdf, starts[1] + 2, "review-sheet-second-member-page-2");
    }
}
