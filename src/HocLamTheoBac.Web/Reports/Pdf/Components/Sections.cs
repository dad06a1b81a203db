using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>Sections I–IV: leadership, results (from the roll-up), assessment and direction (written text).</summary>
public static class Sections
{
    public static void Draw(Canvas c, ReportModel m)
    {
        var f = m.Totals;
        Heading(c, "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, QUÁN TRIỆT, TUYÊN TRUYỀN");
        c.Paragraph($"Năm {m.Year}, toàn Đảng bộ ban hành {Vn.N(f.Plans)} kế hoạch thực hiện chuyên đề năm; tổ chức {Vn.N(f.StudySessions)} buổi học tập chuyên đề; "
            + $"tỷ lệ lượt đảng viên tham dự đạt {f.AttendanceRate.WithFraction()}.", Typography.Body);
        c.Paragraph(m.LeadershipText ?? "", Typography.Body);

        Heading(c, "II. KẾT QUẢ THỰC HIỆN");
        Sub(c, "1. Xây dựng và thực hiện kế hoạch cá nhân, tập thể");
        c.Paragraph($"Có {Vn.N(f.MembersWithPlan)}/{Vn.N(f.Members)} đảng viên xây dựng kế hoạch cá nhân, đạt {f.PlanRate}. "
            + $"Đảng viên đăng ký {Vn.N(f.PledgesRegistered)} việc làm theo, đã hoàn thành {Vn.N(f.PledgesDone)}, đạt {f.PledgeRate}"
            + (f.PledgesOverdue > 0 ? $"; còn {Vn.N(f.PledgesOverdue)} việc quá hạn chưa hoàn thành." : ".")
            + $" Các tập thể đăng ký {Vn.N(f.CollectiveRegistered)} nội dung, hoàn thành {Vn.N(f.CollectiveDone)}, đạt {f.CollectiveRate}.", Typography.Body);
        Sub(c, "2. Xây dựng mô hình, điển hình");
        c.Paragraph($"Đăng ký {Vn.N(f.ModelsCollective)} mô hình tập thể (chỉ tiêu {Vn.N(f.QuotaCollective)}) và {Vn.N(f.ModelsExemplar)} điển hình cá nhân (chỉ tiêu {Vn.N(f.QuotaExemplar)}); "
            + $"{Vn.N(f.ModelsRecognised)} mô hình, điển hình được công nhận; {Vn.N(f.Replications)} lượt nhân rộng.", Typography.Body);
        Sub(c, "3. Nội dung đột phá, vấn đề bức xúc");
        c.Paragraph($"Đăng ký {Vn.N(f.ProblemsRegistered)} vấn đề bức xúc, nổi cộm; đã giải quyết dứt điểm {Vn.N(f.ProblemsResolved)}, đạt {f.ProblemRate}. "
            + $"Người đứng đầu được giao {Vn.N(f.LeaderTasks)} nhiệm vụ đột phá, hoàn thành {Vn.N(f.LeaderTasksDone)}, đạt {f.LeaderTaskRate}.", Typography.Body);
        Sub(c, "4. Biểu dương, khen thưởng");
        c.Paragraph($"Biểu dương {Vn.N(f.Praises)}, tặng giấy khen {Vn.N(f.Certificates)}, bằng khen {Vn.N(f.Merits)} tập thể và cá nhân.", Typography.Body);
        if (m.Indicators.Count > 0)
        {
            Sub(c, "5. Các chỉ tiêu khác");
            foreach (var i in m.Indicators)
                c.Paragraph($"- {i.Name}: {i.Value.ToString("#,##0.##", ServiceSetup.Vietnamese)}{(i.Unit is { } u ? " " + u : "")}.", Typography.Body);
        }
        c.Paragraph(m.ResultsText ?? "", Typography.Body);
        c.Paragraph("(Chi tiết theo đơn vị tại Phụ lục kèm theo.)", Typography.BodyItalic);

        Heading(c, "III. ĐÁNH GIÁ CHUNG");
        Sub(c, "1. Ưu điểm");
        c.Paragraph(m.Strengths ?? "", Typography.Body);
        Sub(c, "2. Hạn chế");
        c.Paragraph(m.Limitations ?? "", Typography.Body);

        Heading(c, $"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {m.Year + 1}");
        c.Paragraph(m.Direction ?? "", Typography.Body);
    }

    private static void Heading(Canvas c, string text)
    {
        c.Ensure(Canvas.LineHeight(Typography.Heading) * 3);
        c.Y += 2;
        c.Paragraph(text, Typography.Heading, Align.Left);
    }

    private static void Sub(Canvas c, string text)
    {
        c.Ensure(Canvas.LineHeight(Typography.Heading) * 2);
        c.Paragraph(text, Typography.Heading, Align.Left);
    }
}
