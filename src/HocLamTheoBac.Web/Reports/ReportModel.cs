using System.Globalization;
using System.Text.Json;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// Everything a year-end report prints, filled from the roll-up and the report's texts. It is what
/// issuance freezes as JSON, and the one source of the PDF, the xlsx and the csv.
/// </summary>
public sealed record ReportModel
{
    /// <summary>The year of a year-end report; the last year of a period review.</summary>
    public required int Year { get; init; }
    /// <summary>The first year of a period review (sơ kết, tổng kết); null for a year-end report.</summary>
    public int? FirstYear { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string UnitCode { get; init; }
    public required string ParentBody { get; init; }
    public required string IssuingBody { get; init; }
    /// <summary>The issuer in running text ("Tỉnh ủy Tuyên Quang"), for the annex caption.</summary>
    public string IssuerName { get; init; } = "";
    public required string NumberLine { get; init; }
    public required string PlaceAndDate { get; init; }
    /// <summary>The date the report carries (issuance date, or today for a draft).</summary>
    public DateOnly Date { get; init; }
    public required string Subject { get; init; }
    /// <summary>"toàn Đảng bộ tỉnh", "toàn chi bộ" (PartyDocuments.Whole).</summary>
    public string Whole { get; init; } = "toàn Đảng bộ";
    public bool IsDraft { get; init; }
    public string? ReplacesNote { get; init; }
    public required Figures Totals { get; init; }
    /// <summary>The root's figures for each year of a period review, in order; empty for a year-end report.</summary>
    public IReadOnlyList<YearFigures> PerYear { get; init; } = [];
    public required IReadOnlyList<IndicatorTotal> Indicators { get; init; }
    public required IReadOnlyList<AnnexRow> Annex { get; init; }
    public string? LeadershipText { get; init; }
    public string? ResultsText { get; init; }
    public string? Strengths { get; init; }
    public string? Limitations { get; init; }
    public string? Direction { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
    public required string SignerOnBehalf { get; init; }
    public required string SignerTitle { get; init; }
    public string? SignerName { get; init; }

    public sealed record AnnexRow(string Code, string Name, int Level, Figures Figures);
    public sealed record YearFigures(int Year, Figures Figures);

    public bool IsPeriod => FirstYear is int f && f != Year;
    /// <summary>The years of a period review with nothing recorded (<see cref="Figures.HasRecords"/>): shown as "—", left out of the sums.</summary>
    public IReadOnlyList<int> YearsWithoutRecords => [.. PerYear.Where(y => !y.Figures.HasRecords).Select(y => y.Year)];
    /// <summary>"2021–2025" for a period, "2025" for a year.</summary>
    public string PeriodLabel => IsPeriod ? $"{FirstYear}–{Year}" : Year.ToString(CultureInfo.InvariantCulture);
    /// <summary>"năm 2025" or "giai đoạn 2021–2025".</summary>
    public string PeriodWords => IsPeriod ? $"giai đoạn {PeriodLabel}" : $"năm {Year}";

    /// <summary>"(Kèm theo Báo cáo số 12-BC/TU ngày 20/12/2025 của Tỉnh ủy Tuyên Quang)".</summary>
    public string AnnexCaption
    {
        get
        {
            var number = NumberLine.StartsWith("Số ", StringComparison.Ordinal) ? "số " + NumberLine[3..] : NumberLine;
            // A draft not numbered yet leaves its number blank for the pen on page 1; the caption names the draft by its
            // period instead of printing "số -BC/TU" (the walk of session 12).
            if (NumberLine.Length > 3 && NumberLine[3..].TrimStart().StartsWith('-')) number = PeriodWords;
            var date = Date == default ? "" : $" ngày {Vn.Date(Date)}";
            var issuer = IssuerName.Length > 0 ? $" của {IssuerName}" : "";
            return $"(Kèm theo {(IsDraft ? "Dự thảo báo cáo" : "Báo cáo")} {number}{date}{issuer})";
        }
    }

    /// <summary>The headline figures in report order: label, count, and the rate where it has one.</summary>
    public IReadOnlyList<FigureLine> Lines => FigureLine.For(Totals, IsPeriod);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static ReportModel FromJson(string json) => JsonSerializer.Deserialize<ReportModel>(json, Json)!;

    /// <summary>The issuing unit as the report needs it.</summary>
    public sealed record IssuingUnit(string Name, string? ParentName, string KindSymbol, bool IsBranch);

    public static ReportModel Build(RollupResult rollup, Report report, string? parentName, string unitName, string kindSymbol, bool isBranch, DateOnly date, string? replacesNumberLine = null) =>
        BuildPeriod([rollup], report, new IssuingUnit(unitName, parentName, kindSymbol, isBranch), date, replacesNumberLine);

    /// <summary>
    /// A year-end report (one roll-up) or a period review (one roll-up per year, in order): every
    /// figure of the period is the sum of the years (ADR 0012), rates are computed on those sums.
    /// </summary>
    public static ReportModel BuildPeriod(IReadOnlyList<RollupResult> years, Report report, IssuingUnit unit, DateOnly date, string? replacesNumberLine = null)
    {
        var last = years[^1];
        var root = last.Root ?? years.LastOrDefault(y => y.Root is not null)?.Root;
        // A period review leaves out the years with nothing recorded (before the site was used): their members alone
        // would lower the plan rate and say nothing (ADR 0012). A year-end report keeps its one year whatever it holds.
        var counted = years.Count > 1 ? years.Where(y => y.Totals.HasRecords).ToList() : years;
        var issuer = PartyDocuments.IssuerOf(unit.Name, unit.IsBranch);
        var number = report.Number is int n ? n.ToString(CultureInfo.InvariantCulture) : "      ";
        var symbol = report.Symbol ?? $"BC/{PartyDocuments.Symbol(unit.Name, unit.IsBranch, unit.KindSymbol)}";
        var period = years.Count > 1;
        var label = period ? $"{years[0].Year}–{last.Year}" : last.Year.ToString(CultureInfo.InvariantCulture);
        var subject = period
            ? $"{(years.Count >= 5 ? "tổng kết" : "sơ kết")} {years.Count} năm thực hiện Chỉ thị 05-CT/TW, Kết luận 01-KL/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách {HoChiMinh}, giai đoạn {label}"
            : $"kết quả thực hiện Chỉ thị 05-CT/TW, Kết luận 01-KL/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách {HoChiMinh} năm {last.Year}";
        return new ReportModel
        {
            Year = last.Year,
            FirstYear = period ? years[0].Year : null,
            AsOf = last.AsOf,
            UnitCode = root?.Code ?? "",
            ParentBody = Upper(unit.ParentName is null ? "" : BodyOf(unit.ParentName)),
            IssuingBody = Upper(unit.Name),
            IssuerName = Nfc(unit.Name),
            NumberLine = $"Số {number}-{symbol}",
            PlaceAndDate = $"{report.Place ?? "Tuyên Quang"}, ngày {date.Day:00} tháng {date.Month:00} năm {date.Year}",
            Date = date,
            Subject = subject,
            Whole = PartyDocuments.Whole(issuer, unit.Name),
            IsDraft = report.Status == ReportStatus.Draft,
            ReplacesNote = replacesNumberLine is null ? null : $"Báo cáo này thay thế Báo cáo {replacesNumberLine}.",
            Totals = FiguresSum.Of(counted.Select(y => y.Totals)),
            PerYear = period ? years.Select(y => new YearFigures(y.Year, y.Totals.HasRecords ? y.Totals : new Figures())).ToList() : [],
            Indicators = IndicatorTotal.Merge(counted.SelectMany(y => y.Indicators)),
            Annex = AnnexOf(counted, root),
            LeadershipText = report.LeadershipText,
            ResultsText = report.ResultsText,
            Strengths = report.Strengths,
            Limitations = report.Limitations,
            Direction = report.Direction,
            Recipients = report.Recipients is { } r
                ? r.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : PartyDocuments.Recipients(issuer, unit.ParentName),
            SignerOnBehalf = Upper(report.SignerOnBehalf ?? PartyDocuments.OnBehalf(issuer)),
            SignerTitle = Upper(report.SignerTitle ?? "BÍ THƯ"),
            SignerName = report.SignerName,
        };
    }

    /// <summary>
    /// One row per unit below the root and place in the tree, summed over the years it stood there (ADR 0012): a unit
    /// that moved to another parent during the period has a row under each parent, each with the years it stood there
    /// in its name ("… (2022–2024)"), so at every level the rows add up to the level above and every counted pledge is
    /// in exactly one row of each level. Rows follow the tree of the last year, then the places of earlier years only.
    /// </summary>
    private static List<AnnexRow> AnnexOf(IReadOnlyList<RollupResult> years, UnitFigures? root)
    {
        var rows = new Dictionary<string, (UnitFigures Unit, int Level, List<Figures> Figures, SortedSet<int> Years)>();
        var children = new Dictionary<string, List<string>>();
        foreach (var y in years.Reverse())
        {
            var byId = y.All.ToDictionary(u => u.UnitId);
            var keys = new Dictionary<int, (string Key, int Level)>();
            (string Key, int Level) KeyOf(UnitFigures u)
            {
                if (keys.TryGetValue(u.UnitId, out var k)) return k;
                var id = u.UnitId.ToString(CultureInfo.InvariantCulture);
                if (u.ParentId is int p && p != root?.UnitId && byId.TryGetValue(p, out var parent))
                {
                    var (parentKey, parentLevel) = KeyOf(parent);
                    k = (parentKey + "." + id, parentLevel + 1);
                }
                else k = (id, 1);
                keys[u.UnitId] = k;
                return k;
            }
            foreach (var u in y.All)
            {
                if (u.UnitId == root?.UnitId) continue;
                var (key, level) = KeyOf(u);
                if (!rows.TryGetValue(key, out var row))
                {
                    rows[key] = row = (u, level, [], []);
                    var parentKey = level == 1 ? "" : key[..key.LastIndexOf('.')];
                    (children.TryGetValue(parentKey, out var list) ? list : children[parentKey] = []).Add(key);
                }
                row.Figures.Add(u.Figures);
                row.Years.Add(y.Year);
            }
        }
        var all = years.Select(y => y.Year).ToHashSet();
        var result = new List<AnnexRow>(rows.Count);
        void Walk(string key)
        {
            if (!children.TryGetValue(key, out var list)) return;
            foreach (var k in UnitFigures.InSiblingOrder(list, k => rows[k].Unit.Code))
            {
                var (u, level, figures, ys) = rows[k];
                var name = all.SetEquals(ys) ? u.Name : $"{u.Name} ({YearsLabel(ys)})";
                result.Add(new AnnexRow(u.Code, name, level, FiguresSum.Of(figures)));
                Walk(k);
            }
        }
        Walk("");
        return result;
    }

    /// <summary>"2022–2024", "2021, 2023–2025": the years a row covers, runs of consecutive years joined.</summary>
    public static string YearsLabel(IEnumerable<int> years)
    {
        var runs = new List<string>();
        int? start = null, end = null;
        foreach (var y in years.Order())
        {
            if (end == y - 1) { end = y; continue; }
            if (start is int s0) runs.Add(s0 == end ? $"{s0}" : $"{s0}–{end}");
            start = end = y;
        }
        if (start is int s1) runs.Add(s1 == end ? $"{s1}" : $"{s1}–{end}");
        return string.Join(", ", runs);
    }

    /// <summary>Non-breaking spaces: a line never breaks inside the name.</summary>
    private const string HoChiMinh = "Hồ\u00A0Chí\u00A0Minh";

    /// <summary>"Thành ủy Tuyên Quang" is the committee; its Party organisation is "Đảng bộ thành phố Tuyên Quang".</summary>
    private static string BodyOf(string parentName) => parentName.StartsWith("Tỉnh ủy ", StringComparison.Ordinal)
        ? "Đảng bộ tỉnh " + parentName["Tỉnh ủy ".Length..]
        : parentName.StartsWith("Thành ủy ", StringComparison.Ordinal) ? "Đảng bộ thành phố " + parentName["Thành ủy ".Length..]
        : parentName.StartsWith("Huyện ủy ", StringComparison.Ordinal) ? "Đảng bộ huyện " + parentName["Huyện ủy ".Length..]
        : parentName.StartsWith("Quận ủy ", StringComparison.Ordinal) ? "Đảng bộ quận " + parentName["Quận ủy ".Length..]
        : parentName.StartsWith("Thị ủy ", StringComparison.Ordinal) ? "Đảng bộ thị xã " + parentName["Thị ủy ".Length..]
        : parentName;

    private static string Nfc(string s) => s.Normalize(System.Text.NormalizationForm.FormC);
    private static string Upper(string s) => Nfc(s).ToUpper(CultureInfo.GetCultureInfo("vi-VN"));
}

/// <summary>The sum of several years' (or units') figures, field by field, whatever fields the roll-up counts.</summary>
public static class FiguresSum
{
    private static readonly System.Reflection.PropertyInfo[] Counts = typeof(Figures).GetProperties()
        .Where(p => p.PropertyType == typeof(int) && p.CanWrite).ToArray();

    public static Figures Of(IEnumerable<Figures> items)
    {
        var list = items.ToList();
        if (list.Count == 1) return list[0];
        var sum = new Figures();
        foreach (var p in Counts) p.SetValue(sum, list.Sum(f => (int)p.GetValue(f)!));
        return sum;
    }

    /// <summary>
    /// <paramref name="whole"/> less the sum of <paramref name="parts"/>, field by field (what a committee holds itself);
    /// null when the parts hold more than the whole in some field, which the roll-up never gives (only a made-up annex).
    /// </summary>
    public static Figures? Less(Figures whole, IEnumerable<Figures> parts)
    {
        var list = parts.ToList();
        var rest = new Figures();
        foreach (var p in Counts)
        {
            var n = (int)p.GetValue(whole)! - list.Sum(f => (long)(int)p.GetValue(f)!);
            if (n < 0) return null;
            p.SetValue(rest, (int)n);
        }
        return rest;
    }
}

/// <summary>One headline figure. <see cref="Of"/> is set when the figure is a rate (done of registered).</summary>
public sealed record FigureLine(string Label, long Value, long? Of = null)
{
    public Rate? Rate => Of is long of ? new Rate(Value, of) : null;

    /// <summary>A quota is named when one was set, as the report's text says it (ReportText.Models): no quota is not "chỉ tiêu
    /// 0" (the walk of session 19: the Excel and the draft's table said "(chỉ tiêu 0)" where the text and the models page
    /// said no quota was set), and its number is written the Vietnamese way (1.200).</summary>
    private static string WithQuota(string what, int quota) => quota > 0 ? $"{what} (chỉ tiêu {Vn.Number(quota)})" : what;

    /// <remarks>Over a period, members are counted once a year (member-years, "lượt đảng viên"), ADR 0012.</remarks>
    public static IReadOnlyList<FigureLine> For(Figures f, bool period = false) =>
    [
        new(period ? "Lượt đảng viên (cộng các năm)" : "Đảng viên", f.Members),
        new(period ? "Lượt đảng viên có kế hoạch cá nhân" : "Đảng viên có kế hoạch cá nhân", f.MembersWithPlan, f.Members),
        new("Việc làm theo cá nhân đăng ký", f.PledgesRegistered),
        new("Việc làm theo cá nhân hoàn thành", f.PledgesDone, f.PledgesRegistered),
        new("Việc làm theo quá hạn chưa hoàn thành", f.PledgesOverdue),
        new("Nội dung tập thể đăng ký", f.CollectiveRegistered),
        new("Nội dung tập thể hoàn thành", f.CollectiveDone, f.CollectiveRegistered),
        new(WithQuota("Mô hình tập thể", f.QuotaCollective), f.ModelsCollective),
        new(WithQuota("Điển hình cá nhân", f.QuotaExemplar), f.ModelsExemplar),
        new("Mô hình, điển hình được công nhận", f.ModelsRecognised),
        new("Lượt nhân rộng mô hình", f.Replications),
        new("Biểu dương", f.Praises),
        new("Giấy khen", f.Certificates),
        new("Bằng khen", f.Merits),
        new("Buổi học tập chuyên đề", f.StudySessions),
        new("Lượt đảng viên dự học tập chuyên đề", f.AttendancePresent, f.AttendanceRecorded),
        new("Vấn đề bức xúc đăng ký", f.ProblemsRegistered),
        new("Vấn đề bức xúc đã giải quyết", f.ProblemsResolved, f.ProblemsRegistered),
        new("Nhiệm vụ đột phá của người đứng đầu", f.LeaderTasks),
        new("Nhiệm vụ đột phá hoàn thành", f.LeaderTasksDone, f.LeaderTasks),
    ];
}

/// <summary>The columns of the annex table, shared by the PDF, the xlsx and the csv.</summary>
public static class AnnexColumns
{
    public sealed record Column(string Header, Func<Figures, long>? Count = null, Func<Figures, Rate>? Rate = null);

    public static readonly IReadOnlyList<Column> All =
    [
        new("Đảng viên", f => f.Members),
        new("Có kế hoạch cá nhân", f => f.MembersWithPlan),
        new("Tỷ lệ có kế hoạch", Rate: f => f.PlanRate),
        new("Việc làm theo đăng ký", f => f.PledgesRegistered),
        new("Việc làm theo hoàn thành", f => f.PledgesDone),
        new("Tỷ lệ hoàn thành", Rate: f => f.PledgeRate),
        new("Tập thể đăng ký", f => f.CollectiveRegistered),
        new("Tập thể hoàn thành", f => f.CollectiveDone),
        new("Tỷ lệ tập thể", Rate: f => f.CollectiveRate),
        new("Mô hình", f => f.ModelsCollective),
        new("Điển hình", f => f.ModelsExemplar),
    ];
}
