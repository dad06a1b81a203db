using System.Text;
using System.Text.Encodings.Web;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges.Hints;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// The grid's rows written as text (Branch.cshtml): the member group's header and each read-only pledge row, every value
/// HTML-encoded once into one string per group. Razor wrote them as ~40 buffer entries a row, each attribute through its
/// attribute writer, which was most of the median grid's own rendering (docs/performance.md, session 8, GRID). The markup is
/// the same, byte for byte, as the template's was (but for the empty data-version="" a viewer's rows carried); a row whose editor is open, and the new-pledge row, stay in the template
/// (their inputs, labels and posted values), between <see cref="RowStart"/> and <see cref="RowEnd"/>.
/// </summary>
public sealed class BranchGridRows(BranchModel model, PledgeHintService hints, HtmlEncoder encoder)
{
    private readonly StringBuilder _b = new(8192);
    private readonly bool _manage = model.CanManage;
    private readonly int _unitId = model.Unit.Id;

    /// <summary>The member's group opened (&lt;tbody&gt;), its header row, and every read-only pledge row up to the first open one;
    /// <paramref name="written"/> is how many pledge rows were written (the template writes the rest).</summary>
    public string Group(BranchModel.MemberRow m, out int written)
    {
        _b.Clear();
        _b.Append("<tbody class=\"member-group\" data-member=\"").Append(Enc(m.FullName)).Append('"');
        if (_manage) _b.Append(" id=\"m-").Append(m.MemberId).Append('"');
        _b.Append(">\n<tr class=\"table-light\">");
        // The add link sits in the first column (the selection's), outside the row header: seen on a phone without scrolling
        // the table sideways, and the header's name stays the member's.
        if (_manage)
        {
            _b.Append("<td>");
            if (m.IsCurrent && !m.Adding)
                _b.Append("<a href=\"").Append(Enc(model.OpenLink(add: m.MemberId))).Append("\" class=\"add-row small\" data-member-id=\"").Append(m.MemberId)
                    .Append("\">Thêm<span class=\"visually-hidden\"> việc làm theo cho ").Append(Enc(m.FullName)).Append("</span></a>");
            _b.Append("</td>");
        }
        _b.Append("<th scope=\"rowgroup\" colspan=\"5\"><span id=\"mn-").Append(m.MemberId).Append("\">").Append(Enc(m.FullName))
            .Append("</span> <span class=\"small fw-normal\">").Append(Enc(m.CardNumber)).Append("</span>");
        if (m.IsCurrent && !m.Registered) _b.Append("<span class=\"badge text-bg-warning ms-1\">Chưa đăng ký</span>");
        if (!m.IsCurrent) _b.Append("<span class=\"badge text-bg-secondary ms-1\">Đã chuyển sinh hoạt</span>");
        _b.Append("</th></tr>\n");
        written = 0;
        foreach (var p in m.Pledges)
        {
            if (p.Open) break;
            AppendStart(m, p);
            _b.Append("<td class=\"g-c\" id=\"pc-").Append(p.Id).Append("\">").Append(Enc(p.Content)).Append("</td><td class=\"g-s\">").Append(Enc(p.Solution))
                .Append("</td><td class=\"g-d\">").Append(Enc(Vn.Date(p.Deadline))).Append("</td>");
            AppendEnd(m, p);
            written++;
        }
        return _b.ToString();
    }

    /// <summary>A read-only pledge row after an open one (<see cref="Group"/> stops at the first open row).</summary>
    public string Row(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        _b.Clear();
        AppendStart(m, p);
        _b.Append("<td class=\"g-c\" id=\"pc-").Append(p.Id).Append("\">").Append(Enc(p.Content)).Append("</td><td class=\"g-s\">").Append(Enc(p.Solution))
            .Append("</td><td class=\"g-d\">").Append(Enc(Vn.Date(p.Deadline))).Append("</td>");
        AppendEnd(m, p);
        return _b.ToString();
    }

    /// <summary>An open row's start: its selection cell and the member's name; the template writes the editor's cells.</summary>
    public string RowStart(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        _b.Clear();
        AppendStart(m, p);
        return _b.ToString();
    }

    /// <summary>An open row's end: its status cell (status, deadline, notes, hints).</summary>
    public string RowEnd(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        _b.Clear();
        AppendEnd(m, p);
        return _b.ToString();
    }

    private void AppendStart(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        _b.Append("<tr class=\"").Append(Enc(p.DeadlineState.CssClass())).Append('"');
        if (_manage)
        {
            _b.Append(" id=\"p-").Append(p.Id).Append("\" data-version=\"").Append(p.Version).Append("\"><td>");
            if (p.Counted)
            {
                _b.Append("<input type=\"checkbox\" class=\"form-check-input row-select\" name=\"Input.Selected\" value=\"").Append(p.Id).Append("\" id=\"sel-").Append(p.Id).Append('"');
                if (model.Input.Selected.Contains(p.Id)) _b.Append(" checked=\"checked\"");
                _b.Append(" aria-labelledby=\"g-sel pc-").Append(p.Id).Append(" g-of mn-").Append(m.MemberId).Append("\" />");
            }
            if (p.Editable && !p.Open)
                _b.Append("<a href=\"").Append(Enc(model.OpenLink(open: p.Id))).Append("\" class=\"btn btn-link btn-sm py-0 px-1 edit-row\" data-id=\"").Append(p.Id)
                    .Append("\">Sửa<span class=\"visually-hidden\"> việc làm theo của ").Append(Enc(m.FullName)).Append("</span></a>");
            _b.Append("</td>");
        }
        else _b.Append('>');
        _b.Append("<td class=\"small g-m\">").Append(Enc(m.FullName)).Append("</td>\n");
    }

    private void AppendEnd(BranchModel.MemberRow m, BranchModel.PledgeRow p)
    {
        _b.Append("<td><a href=\"/Pledges/Details/").Append(p.Id).Append("\" class=\"badge ").Append(Enc(p.Status.Badge())).Append(" text-decoration-none\" id=\"ps-").Append(p.Id)
            .Append("\" aria-labelledby=\"ps-").Append(p.Id).Append(" g-det mn-").Append(m.MemberId).Append("\">").Append(Enc(p.Status.Label())).Append("</a>");
        if (p.DeadlineState != DeadlineState.None) _b.Append("<span class=\"small d-block\">").Append(Enc(p.DeadlineState.Label())).Append("</span>");
        if (p.BranchId != _unitId) _b.Append("<span class=\"small d-block\">Đăng ký ở chi bộ cũ (chỉ xem)</span>");
        if (p.Reason is not null) _b.Append("<span class=\"small d-block\">Lý do: ").Append(Enc(p.Reason)).Append("</span>");
        if (p.EvidenceNote is not null) _b.Append("<span class=\"small d-block\">Kết quả: ").Append(Enc(p.EvidenceNote)).Append("</span>");
        var of = hints.Of(p.Id);
        if (of.Count > 0)
        {
            _b.Append("<ul class=\"pledge-hints grid-hints\" data-hints=\"").Append(Enc(string.Join(",", of))).Append("\">");
            // Each link is named by its hint and its row ("Gợi ý <what> cho việc làm theo <content> của <member>"), not "Gợi ý" alone.
            foreach (var h in of)
            {
                var k = Enc(h.ToString());
                _b.Append("<li><a href=\"#hint-").Append(k).Append("\" class=\"badge text-bg-warning\" id=\"hl-").Append(p.Id).Append('-').Append(k)
                    .Append("\" aria-labelledby=\"hl-").Append(p.Id).Append('-').Append(k).Append(" hs-").Append(p.Id).Append('-').Append(k)
                    .Append(" g-for pc-").Append(p.Id).Append(" g-of mn-").Append(m.MemberId).Append("\">Gợi ý</a> <span id=\"hs-").Append(p.Id).Append('-').Append(k).Append("\">")
                    .Append(Enc(h.ShortLabel())).Append("</span></li>");
            }
            _b.Append("</ul>");
        }
        _b.Append("</td></tr>\n");
    }

    /// <summary>Encoded as Razor encodes a value (the site's encoder: Vietnamese letters kept); the same string when nothing needs it.</summary>
    private string Enc(string? s) => string.IsNullOrEmpty(s) ? "" : encoder.Encode(s);
}
