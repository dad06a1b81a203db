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
    public required int Year { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string UnitCode { get; init; }
    public required string ParentBody { get; init; }
    public required string IssuingBody { get; init; }
    public required string NumberLine { get; init; }
    public required string PlaceAndDate { get; init; }
    public required string Subject { get; init; }
    public bool IsDraft { get; init; }
    public string? ReplacesNote { get; init; }
    public required Figures Totals { get; init; }
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

    /// <summary>The headline figures in report order: label, count, and the rate where it has one.</summary>
    public IReadOnlyList<FigureLine> Lines => FigureLine.For(Totals);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static ReportModel FromJson(string json) => JsonSerializer.Deserialize<ReportModel>(json, Json)!;

    public static ReportModel Build(RollupResult rollup, Report report, string? parentName, string unitName, string kindSymbol, bool isBranch, DateOnly date, string? replacesNumberLine = null)
    {
        var root = rollup.Root;
        var number = report.Number is int n ? n.ToString(CultureInfo.InvariantCulture) : "      ";
        var symbol = report.Symbol ?? $"BC/{kindSymbol}";
        return new ReportModel
        {
            Year = rollup.Year,
            AsOf = rollup.AsOf,
            UnitCode = root?.Code ?? "",
            ParentBody = Upper(parentName is null ? "" : BodyOf(parentName)),
            IssuingBody = Upper(unitName),
            NumberLine = $"Số {number}-{symbol}",
            PlaceAndDate = $"{report.Place ?? "Tuyên Quang"}, ngày {date.Day:00} tháng {date.Month:00} năm {date.Year}",
            Subject = $"kết quả thực hiện Chỉ thị 05-CT/TW, Kết luận 01-KL/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {rollup.Year}",
            IsDraft = report.Status == ReportStatus.Draft,
            ReplacesNote = replacesNumberLine is null ? null : $"Báo cáo này thay thế Báo cáo {replacesNumberLine}.",
            Totals = rollup.Totals,
            Indicators = rollup.Indicators,
            Annex = rollup.All.Where(u => u.UnitId != root?.UnitId)
                .Select(u => new AnnexRow(u.Code, u.Name, u.Depth - (root?.Depth ?? 0), u.Figures)).ToList(),
            LeadershipText = report.LeadershipText,
            ResultsText = report.ResultsText,
            Strengths = report.Strengths,
            Limitations = report.Limitations,
            Direction = report.Direction,
            Recipients = (report.Recipients ?? DefaultRecipients).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            SignerOnBehalf = Upper(report.SignerOnBehalf ?? (isBranch ? "T/M CHI BỘ" : "T/M BAN THƯỜNG VỤ")),
            SignerTitle = Upper(report.SignerTitle ?? "BÍ THƯ"),
            SignerName = report.SignerName,
        };
    }

    public const string DefaultRecipients = "- Ban Tuyên giáo và Dân vận cấp trên,\n- Các đồng chí cấp ủy viên,\n- Lưu Văn phòng.";

    /// <summary>"Thành ủy Tuyên Quang" is the committee; its Party organisation is "Đảng bộ thành phố Tuyên Quang".</summary>
    private static string BodyOf(string parentName) => parentName.StartsWith("Tỉnh ủy ", StringComparison.Ordinal)
        ? "Đảng bộ tỉnh " + parentName["Tỉnh ủy ".Length..]
        : parentName.StartsWith("Thành ủy ", StringComparison.Ordinal) ? "Đảng bộ thành phố " + parentName["Thành ủy ".Length..]
        : parentName.StartsWith("Huyện ủy ", StringComparison.Ordinal) ? "Đảng bộ huyện " + parentName["Huyện ủy ".Length..]
        : parentName;

    private static string Upper(string s) => s.Normalize(System.Text.NormalizationForm.FormC).ToUpper(CultureInfo.GetCultureInfo("vi-VN"));
}

/// <summary>One headline figure. <see cref="Of"/> is set when the figure is a rate (done of registered).</summary>
public sealed record FigureLine(string Label, long Value, long? Of = null)
{
    public Rate? Rate => Of is long of ? new Rate(Value, of) : null;

    public static IReadOnlyList<FigureLine> For(Figures f) =>
    [
        new("Đảng viên", f.Members),
        new("Đảng viên có kế hoạch cá nhân", f.MembersWithPlan, f.Members),
        new("Việc làm theo cá nhân đăng ký", f.PledgesRegistered),
        new("Việc làm theo cá nhân hoàn thành", f.PledgesDone, f.PledgesRegistered),
        new("Việc làm theo quá hạn chưa hoàn thành", f.PledgesOverdue),
        new("Nội dung tập thể đăng ký", f.CollectiveRegistered),
        new("Nội dung tập thể hoàn thành", f.CollectiveDone, f.CollectiveRegistered),
        new("Mô hình tập thể (chỉ tiêu " + f.QuotaCollective + ")", f.ModelsCollective),
        new("Điển hình cá nhân (chỉ tiêu " + f.QuotaExemplar + ")", f.ModelsExemplar),
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
