using HocLamTheoBac.Web.Reports.Pdf.Components;
using PdfSharp.Pdf;

namespace HocLamTheoBac.Web.Reports.Pdf;

/// <summary>The year-end report as a PDF: header, title, sections I–IV, signature, annex, page numbers.</summary>
public static class ReportDocument
{
    public static byte[] Render(ReportModel model)
    {
        EmbeddedFontResolver.Install();
        using var doc = new PdfDocument();
        doc.Info.Title = Canvas.Nfc($"Báo cáo {model.NumberLine} – {model.IssuingBody}");
        doc.Info.Creator = "HocLamTheoBac";
        using (var c = new Canvas(doc))
        {
            c.NewPage();
            Header.Draw(c, model);
            Title.Draw(c, model);
            Sections.Draw(c, model);
            Signature.Draw(c, model);
            AnnexTable.Draw(c, model);
        }
        using (var numbering = new Canvas(doc)) PageNumbers.Draw(numbering);
        using var ms = new MemoryStream();
        doc.Save(ms, false);
        return ms.ToArray();
    }
}
