using System.Globalization;
using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>
/// Page numbers centred in the top margin from page 2 on, as in Party documents (landscape annex pages too). A document
/// made of sheets of their own (the review's one sheet a member) numbers each sheet's pages from its first
/// (<paramref name="sheetStarts"/>: the indexes of their first pages; the walk of session 12 found them running on).
/// </summary>
public static class PageNumbers
{
    public static void Draw(Canvas c, IReadOnlyList<int>? sheetStarts = null)
    {
        var start = 0;
        for (var i = 1; i < c.Document.PageCount; i++)
        {
            if (sheetStarts?.Contains(i) == true) { start = i; continue; }
            var page = c.Document.Pages[i];
            var landscape = page.Width.Point > page.Height.Point;
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = (i - start + 1).ToString(CultureInfo.InvariantCulture);
            var w = g.MeasureString(text, Typography.PageNumber).Width;
            var (left, width) = landscape ? (Typography.LandscapeLeft, Typography.LandscapeContentWidth) : (Typography.Left, Typography.ContentWidth);
            g.DrawString(text, Typography.PageNumber, XBrushes.Black, left + (width - w) / 2, Typography.Mm(12), XStringFormats.BaseLineLeft);
        }
    }
}
