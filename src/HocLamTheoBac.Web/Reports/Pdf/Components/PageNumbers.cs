using System.Globalization;
using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>Page numbers centred in the top margin from page 2 on, as in Party documents.</summary>
public static class PageNumbers
{
    public static void Draw(Canvas c)
    {
        for (var i = 1; i < c.Document.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(c.Document.Pages[i], XGraphicsPdfPageOptions.Append);
            var text = (i + 1).ToString(CultureInfo.InvariantCulture);
            var w = g.MeasureString(text, Typography.PageNumber).Width;
            g.DrawString(text, Typography.PageNumber, XBrushes.Black, Typography.Left + (Typography.ContentWidth - w) / 2, Typography.Mm(12), XStringFormats.BaseLineLeft);
        }
    }
}
