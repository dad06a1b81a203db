namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// How a Party document names its issuer: the numbering symbol ("Số 35-BC/TU"), the words for the
/// whole organisation ("toàn Đảng bộ", "toàn chi bộ"), who signs on behalf of whom and the default
/// recipients. Decided by the issuing body's name, because one kind of unit (a district-level
/// committee) is a Huyện ủy, a Thành ủy, a Quận ủy or a Thị ủy. Table and source: ADR
/// docs/adr/0011-party-document-wording-by-issuer.md.
/// </summary>
public static class PartyDocuments
{
    /// <summary>The body that issues: decides the symbol, the wording and the signature.</summary>
    public enum Issuer { Province, City, Town, District, UrbanDistrict, Committee, Branch, Other }

    private static readonly (string Prefix, Issuer Issuer, string Symbol)[] Prefixes =
    [
        ("Tỉnh ủy", Issuer.Province, "TU"),
        ("Thành ủy", Issuer.City, "TU"),
        ("Thị ủy", Issuer.Town, "TU"),
        ("Huyện ủy", Issuer.District, "HU"),
        ("Quận ủy", Issuer.UrbanDistrict, "QU"),
        ("Đảng ủy", Issuer.Committee, "ĐU"),
        ("Chi bộ", Issuer.Branch, "CB"),
    ];

    public static Issuer IssuerOf(string unitName, bool isBranch)
    {
        var name = Nfc(unitName);
        foreach (var (prefix, issuer, _) in Prefixes)
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return issuer;
        return isBranch ? Issuer.Branch : Issuer.Other;
    }

    /// <summary>"TU", "HU", "QU", "ĐU", "CB"; the kind's own symbol when the name says nothing.</summary>
    public static string Symbol(string unitName, bool isBranch, string kindSymbol)
    {
        var issuer = IssuerOf(unitName, isBranch);
        foreach (var (_, i, symbol) in Prefixes)
            if (i == issuer) return symbol;
        return kindSymbol;
    }

    /// <summary>The whole organisation in running text: "toàn Đảng bộ tỉnh", "toàn Đảng bộ phường", "toàn Đảng bộ", "toàn chi bộ".</summary>
    public static string Whole(Issuer issuer, string? unitName = null) => issuer switch
    {
        Issuer.Committee when unitName is not null && SplitName(unitName).Designation.ToLowerInvariant() is var d
            && (d.EndsWith(" phường", StringComparison.Ordinal) || d.EndsWith(" xã", StringComparison.Ordinal) || d.EndsWith(" thị trấn", StringComparison.Ordinal))
            => "toàn Đảng bộ " + d["đảng ủy ".Length..],
        Issuer.Province => "toàn Đảng bộ tỉnh",
        Issuer.City => "toàn Đảng bộ thành phố",
        Issuer.Town => "toàn Đảng bộ thị xã",
        Issuer.District => "toàn Đảng bộ huyện",
        Issuer.UrbanDistrict => "toàn Đảng bộ quận",
        Issuer.Branch => "toàn chi bộ",
        _ => "toàn Đảng bộ",
    };

    /// <summary>"T/M BAN THƯỜNG VỤ" for committees with a standing board, "T/M ĐẢNG ỦY", "T/M CHI BỘ".</summary>
    public static string OnBehalf(Issuer issuer) => issuer switch
    {
        Issuer.Branch => "T/M CHI BỘ",
        Issuer.Committee => "T/M ĐẢNG ỦY",
        _ => "T/M BAN THƯỜNG VỤ",
    };

    /// <summary>
    /// Default "Nơi nhận", one line each: the body above (its standing board and its Ban Tuyên giáo và
    /// Dân vận, the 2025 name), then the issuer's own members and units, then the file copy.
    /// </summary>
    public static IReadOnlyList<string> Recipients(Issuer issuer, string? parentName)
    {
        var lines = new List<string>();
        if (issuer == Issuer.Branch)
        {
            lines.Add(parentName is null ? "- Cấp ủy cấp trên (để báo cáo)," : $"- {Committee(parentName)} (để báo cáo),");
            lines.Add("- Các đồng chí đảng viên trong chi bộ,");
            lines.Add("- Lưu chi bộ.");
            return lines;
        }
        if (parentName is null)
        {
            lines.Add("- Ban Bí thư Trung ương Đảng (để báo cáo),");
            lines.Add("- Ban Tuyên giáo và Dân vận Trung ương (để báo cáo),");
        }
        else
        {
            lines.Add($"- {Committee(parentName)} (để báo cáo),");
            lines.Add($"- Ban Tuyên giáo và Dân vận {Nfc(parentName)} (để báo cáo),");
        }
        lines.Add(issuer == Issuer.Committee ? "- Các đồng chí đảng ủy viên," : "- Các đồng chí cấp ủy viên,");
        lines.Add("- Các tổ chức đảng trực thuộc,");
        lines.Add(issuer == Issuer.Committee ? "- Lưu Văn phòng Đảng ủy." : "- Lưu Văn phòng cấp ủy.");
        return lines;
    }

    /// <summary>"Ban Thường vụ Tỉnh ủy Tuyên Quang" for a committee with a standing board, the name itself otherwise.</summary>
    private static string Committee(string name)
    {
        var issuer = IssuerOf(name, false);
        return issuer is Issuer.Committee or Issuer.Branch or Issuer.Other ? Nfc(name) : "Ban Thường vụ " + Nfc(name);
    }

    private static readonly string[] Designations =
    [
        "Đảng ủy Khối", "Đảng ủy cơ quan", "Đảng ủy phường", "Đảng ủy xã", "Đảng ủy thị trấn", "Đảng ủy đặc khu", "Đảng ủy Công an", "Đảng ủy Quân sự",
        "Đảng ủy", "Chi bộ thôn", "Chi bộ Tổ dân phố", "Chi bộ", "Đảng bộ tỉnh", "Đảng bộ thành phố", "Đảng bộ huyện", "Đảng bộ quận",
        "Đảng bộ thị xã", "Đảng bộ phường", "Đảng bộ xã", "Đảng bộ", "Tỉnh ủy", "Thành ủy", "Thị ủy", "Huyện ủy", "Quận ủy",
    ];

    /// <summary>
    /// Splits a unit's name into its designation and its proper name ("Đảng ủy phường" + "Phan Thiết"),
    /// so a header that must wrap breaks between them and never inside the proper name.
    /// </summary>
    public static (string Designation, string Proper) SplitName(string name)
    {
        name = Nfc(name).Trim();
        foreach (var d in Designations)
            if (name.Length > d.Length && name.StartsWith(d, StringComparison.OrdinalIgnoreCase) && name[d.Length] == ' ')
                return (name[..d.Length], name[(d.Length + 1)..].Trim());
        return ("", name);
    }

    private static string Nfc(string s) => s.Normalize(System.Text.NormalizationForm.FormC);
}
