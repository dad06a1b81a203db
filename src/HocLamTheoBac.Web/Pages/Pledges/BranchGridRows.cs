using System.Text;
using System.Text.Encodings.Web;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges.Hints;
using Microsoft.AspNetCore.Html;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// The grid's rows written as text (Branch.cshtml): the member group's header and each read-only pledge row, every value
/// HTML-encoded once. Razor wrote them as ~40 buffer entries a row, each attribute through its attribute writer, which was
/// most of the median grid's own rendering (docs/performance.md, session 8, GRID). A group is handed to Razor as
/// <see cref="IHtmlAsyncContent"/>: it is written when the page is written to the response, into one reused buffer and
/// from there into the response's writer, instead of a string a group (a string per group was a third of the median
/// grid's allocations: docs/performance.md, session 9, GRID). The markup is the same, byte for byte, as the template's
/// was (but for the empty data-version="" a viewer's rows carried); a row whose editor is open, and the new-pledge row,
/// stay in the template (their inputs, labels and posted values), between <see cref="RowStart"/> and <see cref="RowEnd"/>.
/// Shorter since session 13, with the same names, text and look: a hint link is named by its hint's words written once a
/// page (<see cref="HintWords"/>) instead of its own id and a span's, a row without a deadline state has no empty class,
/// and the status badge is not underlined by site.css instead of a class a row (docs/performance.md, session 13, GRID).
/// </summary>
public sealed class BranchGridRows(BranchModel model, PledgeHintService hints, HtmlEncoder encoder)
{
    private readonly StringBuilder _row = new(1024);
    /// <summary>The groups' buffer: groups are written one after the other when the page is written (never two at once).</summary>
    private readonly StringBuilder _g = new(16384);
    private readonly bool _manage = model.CanManage;
    private readonly int _unitId = model.Unit.Id;
    /// <summary>The grid's link with the open editors (year, filter, search, page kept), HTML-encoded once per page: each
    /// row's "Sửa" and each member's "Thêm" link is it with one more editor (<see cref="BranchModel.OpenLink"/>).</summary>
    private readonly (string Head, string Tail) _link = (Relative(encoder.Encode(model.LinkHead)), encoder.Encode(model.LinkTail));

    /// <summary>The grid's own address as a reference relative to the page ("?year=…"): every "Sửa" and "Thêm" link leads to
    /// this same page (its path, /Pledges/Branch/{id}, is the document's after a GET and after a post alike), so its path is
    /// not written a row (docs/performance.md, session 19, GRID19M).</summary>
    private static string Relative(string link) => link.IndexOf('?') is var q and > 0 ? link[q..] : link;

    /// <summary>A hint's short key in the grid's markup: its links' target "#hint-<key>" (the legend's item) and the id of its
    /// shared words "g-h-<key>"; the enum's number, not its name (written twice in each of a page's hint links). The rows'
    /// data-hints keep the names (the other pages' lists and the tests read them).</summary>
    public static int HintKey(PledgeHint h) => (int)h;

    /// <summary>The member's group opened (&lt;tbody&gt;), its header row, and every read-only pledge row up to the first open one,
    /// as content written with the page; <paramref name="written"/> is how many pledge rows it holds (the template writes the rest).</summary>
    public IHtmlContent Group(BranchModel.MemberRow m, out int written)
    {
        written = 0;
        foreach (var p in m.Pledges)
        {
            if (p.Open) break;
            written++;
        }
        return new GroupContent(this, m, written);
    }

    /// <summary>A member's group, written into the response's writer when the page is (one buffer for every group).</summary>
    private sealed class GroupContent(BranchGridRows rows, BranchModel.MemberRow m, int count) : IHtmlAsyncContent
    {
        public async ValueTask WriteToAsync(TextWriter writer)
        {
            foreach (var chunk in rows.WriteGroup(m, count).GetChunks()) await writer.WriteAsync(chunk);
        }

        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            foreach (var chunk in rows.WriteGroup(m, count).GetChunks()) writer.Write(chunk.Span);
        }
    }

    /// <summary>The group's text in <see cref="_g"/>: header row and its first <paramref name="count"/> pledge rows.</summary>
    private StringBuilder WriteGroup(BranchModel.MemberRow m, int count)
    {
        var b = _g.Clear();
        // The member's name is the header's "mn-" span (pledges.js and the tests read it there, the row's names refer to it).
        b.Append("<tbody class=\"member-group\"");
        if (_manage) b.Append(" id=\"m-").Append(m.MemberId).Append('"');
        b.Append(">\n<tr class=\"table-light\">");
        // The add link sits in the first column (the selection's), outside the row header: seen on a phone without scrolling
        // the table sideways, and the header's name stays the member's.
        if (_manage)
        {
            b.Append("<td>");
            if (m.IsCurrent && !m.Adding)
                AppendOpenLink(b.Append("<a href=\""), null, m.MemberId).Append("\" class=\"add-row small\">Thêm<span class=\"visually-hidden\"> việc làm theo cho ").Append(Enc(m.FullName)).Append("</span></a>");
            b.Append("</td>");
        }
        b.Append("<th scope=\"rowgroup\" colspan=\"5\"><span id=\"mn-").Append(m.MemberId).Append("\">").Append(Enc(m.FullName))
            .Append("</span> <span class=\"small fw-normal\">").Append(Enc(m.CardNumber)).Append("</span>");
        if (m.IsCurrent && !m.Registered) b.Append("<span class=\"badge text-bg-warning ms-1\">Chưa đăng ký</span>");
        if (!m.IsCurrent) b.Append("<span class=\"badge text-bg-secondary ms-1\">Đã chuyển sinh hoạt</span>");
        b.Append("</th></tr>\n");
        for (var i = 0; i < count; i++)
        {
            var p = m.Pledges[i];
            AppendStart(b, m, p);
            b.Append("<td class=\"g-c\" id=\"pc-").Append(p.Id).Append("\">").Append(Enc(p.Content)).Append("</td><td class=\"g-s\">").Append(Enc(p.Solution))
                .Append("</td><td class=\"g-d\">").Append(Enc(Vn.Date(p.Deadline))).Append("</td>");
            AppendEnd(b, m, p);
        }
        return b;
    }

    /// <summary>The encoded link with one more editor open: <see cref="BranchModel.OpenLink"/>, written without its strings.</summary>
    private StringBuilder AppendOpenLink(StringBuilder b, int? open, int? add)
    {
        b.Append(_link.Head);
        if (open is { } o && !model.Open.Contains(o)) b.Append("&amp;open=").Append(o);
        b.Append(_link.Tail);
        if (add is { } a && !model.Add.Contains(a)) b.Append("&amp;add=").Append(a);
        return open is { } po ? b.Append("#p-").Append(po) : add is { } pa ? b.Append("#m-").Append(pa) : b;
    }

    /// <summary>A read-only pledge row after an open one (<see cref="Group"/> stops at the first open row).</summary>
    public string Row(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        var b = _row.Clear();
        AppendStart(b, m, p);
        b.Append("<td class=\"g-c\" id=\"pc-").Append(p.Id).Append("\">").Append(Enc(p.Content)).Append("</td><td class=\"g-s\">").Append(Enc(p.Solution))
            .Append("</td><td class=\"g-d\">").Append(Enc(Vn.Date(p.Deadline))).Append("</td>");
        AppendEnd(b, m, p);
        return b.ToString();
    }

    /// <summary>An open row's start: its selection cell and the member's name; the template writes the editor's cells.</summary>
    public string RowStart(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        var b = _row.Clear();
        AppendStart(b, m, p);
        return b.ToString();
    }

    /// <summary>An open row's end: its status cell (status, deadline, notes, hints).</summary>
    public string RowEnd(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        var b = _row.Clear();
        AppendEnd(b, m, p);
        return b.ToString();
    }

    private void AppendStart(StringBuilder b, BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        // No class attribute on a row without a deadline state (it was an empty one).
        b.Append("<tr");
        if (p.DeadlineState.CssClass() is { Length: > 0 } css) b.Append(" class=\"").Append(Enc(css)).Append('"');
        if (_manage)
        {
            b.Append(" id=\"p-").Append(p.Id).Append("\" data-version=\"").Append(p.Version).Append("\"><td>");
            if (p.Counted)
            {
                b.Append("<input type=\"checkbox\" class=\"form-check-input\" name=\"Input.Selected\" value=\"").Append(p.Id).Append("\" id=\"sel-").Append(p.Id).Append('"');
                if (model.Input.Selected.Contains(p.Id)) b.Append(" checked=\"checked\"");
                b.Append(" aria-labelledby=\"g-sel pc-").Append(p.Id).Append(" g-of mn-").Append(m.MemberId).Append("\">");
            }
            if (p.Editable && !p.Open)
                AppendOpenLink(b.Append("<a href=\""), p.Id, null).Append("\" class=\"btn btn-link btn-sm edit-row\">Sửa<span class=\"visually-hidden\"> việc làm theo của ").Append(Enc(m.FullName)).Append("</span></a>");
            b.Append("</td>");
        }
        else b.Append('>');
        b.Append("<td class=\"small g-m\">").Append(Enc(m.FullName)).Append("</td>\n");
    }

    private void AppendEnd(StringBuilder b, BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        b.Append("<td><a href=\"/Pledges/Details/").Append(p.Id).Append("\" class=\"badge ").Append(Enc(p.Status.Badge())).Append("\" id=\"ps-").Append(p.Id)
            .Append("\" aria-labelledby=\"ps-").Append(p.Id).Append(" g-det mn-").Append(m.MemberId).Append("\">").Append(Enc(p.Status.Label())).Append("</a>");
        if (p.DeadlineState != DeadlineState.None) b.Append("<span class=\"small d-block\">").Append(Enc(p.DeadlineState.Label())).Append("</span>");
        if (p.BranchId != _unitId) b.Append("<span class=\"small d-block\">Đăng ký ở chi bộ cũ (chỉ xem)</span>");
        if (p.Reason is not null) b.Append("<span class=\"small d-block\">Lý do: ").Append(Enc(p.Reason)).Append("</span>");
        if (p.EvidenceNote is not null) b.Append("<span class=\"small d-block\">Kết quả: ").Append(Enc(p.EvidenceNote)).Append("</span>");
        var of = hints.Of(p.Id);
        if (of.Count > 0)
        {
            b.Append("<ul class=\"grid-hints\" data-hints=\"");
            for (var i = 0; i < of.Count; i++) b.Append(i > 0 ? "," : "").Append(Enc(of[i].ToString()));
            b.Append("\">");
            // Each link is named by its hint and its row ("Gợi ý <what> cho việc làm theo <content> của <member>"), not "Gợi ý" alone:
            // the words of its hint are the page's once (HintWords, "g-h-<hint>"), the row's content and member its own cells.
            for (var i = 0; i < of.Count; i++)
            {
                var h = of[i];
                var k = HintKey(h);
                b.Append("<li><a href=\"#hint-").Append(k).Append("\" class=\"badge text-bg-warning\" aria-labelledby=\"g-h-").Append(k)
                    .Append(" pc-").Append(p.Id).Append(" g-of mn-").Append(m.MemberId).Append("\">Gợi ý</a> ").Append(Enc(h.ShortLabel())).Append("</li>");
            }
            b.Append("</ul>");
        }
        b.Append("</td></tr>\n");
    }

    /// <summary>The words a hint's links share, once a page for each hint shown (hidden, as the grid's other shared words): a
    /// link's accessible name is them, then its row's content and member ("Gợi ý Trùng năm trước cho việc làm theo … của …").</summary>
    public IHtmlContent HintWords(IEnumerable<PledgeHint> shown)
    {
        var b = new StringBuilder();
        foreach (var h in shown)
        {
            b.Append("<span hidden id=\"g-h-").Append(HintKey(h)).Append("\">Gợi ý ").Append(Enc(h.ShortLabel())).Append(" cho việc làm theo</span>");
        }
        return new HtmlString(b.ToString());
    }

    /// <summary>Encoded as Razor encodes a value (the site's encoder: Vietnamese letters kept); the same string when nothing needs it.</summary>
    private string Enc(string? s) => string.IsNullOrEmpty(s) ? "" : encoder.Encode(s);
}
