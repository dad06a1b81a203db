using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// The generated sentences of sections I and II. A figure of zero, or a rate with nothing
/// registered, is said in words ("chưa tổ chức học tập chuyên đề") or left out — never "0 … đạt —".
/// A period review opens with "Giai đoạn 2021–2025," and counts members once a year (ADR 0012).
/// </summary>
public static class ReportText
{
    private static string N(long n) => Vn.Number(n);

    /// <summary>"Năm 2025," or "Giai đoạn 2021–2025,".</summary>
    public static string Opening(ReportModel m) => m.IsPeriod ? $"Giai đoạn {m.PeriodLabel}," : $"Năm {m.Year},";

    /// <summary>
    /// "Các năm 2022 và 2023 chưa có số liệu trên hệ thống, không cộng vào kết quả cả giai đoạn.": said wherever a period's
    /// totals are shown, when some of its years have nothing recorded (ADR 0012); null otherwise.
    /// </summary>
    public static string? YearsLeftOut(ReportModel m)
    {
        var ys = m.YearsWithoutRecords;
        if (!m.IsPeriod || ys.Count == 0) return null;
        var which = ys.Count == 1 ? $"Năm {ys[0]}" : $"Các năm {string.Join(", ", ys.Take(ys.Count - 1))} và {ys[^1]}";
        return $"{which} chưa có số liệu trên hệ thống, không cộng vào kết quả cả giai đoạn.";
    }

    public static string Leadership(ReportModel m)
    {
        var f = m.Totals;
        var plans = f.Plans > 0 ? $"ban hành {N(f.Plans)} kế hoạch thực hiện chuyên đề {(m.IsPeriod ? "hằng năm" : "năm")}" : "chưa cập nhật kế hoạch thực hiện chuyên đề năm";
        var sessions = f.StudySessions == 0 ? "chưa tổ chức học tập chuyên đề"
            : f.AttendanceRecorded == 0 ? $"tổ chức {N(f.StudySessions)} buổi học tập chuyên đề (chưa ghi nhận danh sách tham dự)"
            : $"tổ chức {N(f.StudySessions)} buổi học tập chuyên đề; tỷ lệ lượt đảng viên tham dự đạt {f.AttendanceRate.WithFraction()}";
        return $"{Opening(m)} {m.Whole} {plans}; {sessions}.";
    }

    public static string Plans(ReportModel m)
    {
        var f = m.Totals;
        var parts = new List<string>();
        var who = m.IsPeriod ? "lượt đảng viên" : "đảng viên";
        parts.Add(f.Members == 0 ? "Chưa có đảng viên trong danh sách sinh hoạt."
            : f.MembersWithPlan == 0 ? $"Chưa có {who} nào xây dựng kế hoạch cá nhân (trên {N(f.Members)} {who})."
            : $"Có {N(f.MembersWithPlan)}/{N(f.Members)} {who} xây dựng kế hoạch cá nhân, đạt {f.PlanRate}.");
        if (f.PledgesRegistered == 0) parts.Add("Chưa có việc làm theo nào được đăng ký.");
        else
        {
            var done = f.PledgesDone == 0 ? "chưa có việc nào hoàn thành" : $"đã hoàn thành {N(f.PledgesDone)}, đạt {f.PledgeRate}";
            parts.Add($"Đảng viên đăng ký {N(f.PledgesRegistered)} việc làm theo, {done}"
                + (f.PledgesOverdue > 0 ? $"; còn {N(f.PledgesOverdue)} việc quá hạn chưa hoàn thành." : "."));
        }
        if (f.CollectiveRegistered == 0) parts.Add("Các tập thể chưa đăng ký nội dung làm theo.");
        else parts.Add(f.CollectiveDone == 0
            ? $"Các tập thể đăng ký {N(f.CollectiveRegistered)} nội dung, chưa có nội dung nào hoàn thành."
            : $"Các tập thể đăng ký {N(f.CollectiveRegistered)} nội dung, hoàn thành {N(f.CollectiveDone)}, đạt {f.CollectiveRate}.");
        return string.Join(" ", parts);
    }

    public static string Models(ReportModel m)
    {
        var f = m.Totals;
        if (f.ModelsCollective == 0 && f.ModelsExemplar == 0)
            return f.QuotaCollective + f.QuotaExemplar > 0
                ? $"Chưa đăng ký mô hình tập thể, điển hình cá nhân (chỉ tiêu {N(f.QuotaCollective)} mô hình, {N(f.QuotaExemplar)} điển hình)."
                : "Chưa đăng ký mô hình tập thể, điển hình cá nhân.";
        string Part(int count, int quota, string what) =>
            (count == 0 ? $"chưa có {what}" : $"{N(count)} {what}") + (quota > 0 ? $" (chỉ tiêu {N(quota)})" : "");
        var s = $"Đăng ký {Part(f.ModelsCollective, f.QuotaCollective, "mô hình tập thể")} và {Part(f.ModelsExemplar, f.QuotaExemplar, "điển hình cá nhân")}";
        if (f.ModelsRecognised > 0) s += $"; {N(f.ModelsRecognised)} mô hình, điển hình được công nhận";
        if (f.Replications > 0) s += $"; {N(f.Replications)} lượt nhân rộng";
        return s + ".";
    }

    public static string Problems(ReportModel m)
    {
        var f = m.Totals;
        var problems = f.ProblemsRegistered == 0 ? "Không có vấn đề bức xúc, nổi cộm được đăng ký."
            : f.ProblemsResolved == 0 ? $"Đăng ký {N(f.ProblemsRegistered)} vấn đề bức xúc, nổi cộm; chưa giải quyết dứt điểm vấn đề nào."
            : $"Đăng ký {N(f.ProblemsRegistered)} vấn đề bức xúc, nổi cộm; đã giải quyết dứt điểm {N(f.ProblemsResolved)}, đạt {f.ProblemRate}.";
        var tasks = f.LeaderTasks == 0 ? "Không có nhiệm vụ đột phá được giao cho người đứng đầu."
            : f.LeaderTasksDone == 0 ? $"Người đứng đầu được giao {N(f.LeaderTasks)} nhiệm vụ đột phá, chưa hoàn thành nhiệm vụ nào."
            : $"Người đứng đầu được giao {N(f.LeaderTasks)} nhiệm vụ đột phá, hoàn thành {N(f.LeaderTasksDone)}, đạt {f.LeaderTaskRate}.";
        return problems + " " + tasks;
    }

    public static string Commendations(ReportModel m)
    {
        var f = m.Totals;
        var parts = new List<string>();
        if (f.Praises > 0) parts.Add($"biểu dương {N(f.Praises)} lượt");
        if (f.Certificates > 0) parts.Add($"tặng giấy khen {N(f.Certificates)} lượt");
        if (f.Merits > 0) parts.Add($"bằng khen {N(f.Merits)} lượt");
        if (parts.Count == 0) return "Chưa có tập thể, cá nhân được biểu dương, khen thưởng trong việc học tập và làm theo Bác.";
        // The figures count commendations, not whether each went to a unit or a person: the sentence names both kinds once
        // and counts "lượt" (the walk of session 19: "Biểu dương 1 lượt tập thể và cá nhân" for one person).
        return "Tập thể, cá nhân được biểu dương, khen thưởng trong việc học tập và làm theo Bác: " + string.Join(", ", parts) + ".";
    }
}
