using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// A lived-in demo for scripts/run.sh and `hlb seed demo`: last year complete (plans, pledges mostly
/// done, models, a study session, problems, leaders' tasks, commendations), this year under way with
/// pledges waiting for the secretary. Tests seed the bare demo (DemoSeeder) without this.
/// </summary>
public static class DemoActivity
{
    private static readonly string[] PledgeTexts =
    [
        "Vận động gia đình phân loại rác tại nguồn, không dùng túi ni lông khi đi chợ",
        "Hướng dẫn người dân nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
        "Tham gia dọn vệ sinh khu dân cư vào sáng Chủ nhật hằng tuần",
        "Đóng góp Hũ gạo tiết kiệm giúp hộ khó khăn trong tổ dân phố",
        "Gương mẫu chấp hành quy tắc ứng xử nơi công cộng, nhắc nhở con cháu cùng thực hiện",
        "Hòa giải mâu thuẫn, giữ đoàn kết trong khu dân cư",
        "Tự học, nâng cao kỹ năng sử dụng ứng dụng số trong công việc",
    ];

    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var thisYear = db.Clock.Year;
        var lastYear = thisYear - 1;
        var province = await db.OrgUnits.SingleAsync(u => u.Code == "TQ", ct);
        var city = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP", ct);
        var branches = await db.OrgUnits.Where(u => u.Kind.IsBranch).OrderBy(u => u.Code).ToListAsync(ct);
        var members = await db.Members.OrderBy(m => m.Id).ToListAsync(ct);
        var rnd = new Random(05);

        foreach (var year in new[] { lastYear, thisYear })
        {
            db.PlanYears.Add(new PlanYear
            {
                OrgUnitId = province.Id, Year = year,
                Theme = year == lastYear
                    ? "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng chính quyền gần dân, phục vụ nhân dân"
                    : "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về chuyển đổi số vì nhân dân",
                PlanNumber = year == lastYear ? "12-KH/TU" : "35-KH/TU",
                PlanDate = new DateOnly(year, 2, 15), RegistrationDeadline = new DateOnly(year, 3, 31),
            });
            db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = year, Kind = TopicKind.Breakthrough, Title = "Đẩy mạnh cải cách thủ tục hành chính" });
            db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = year, Kind = TopicKind.Breakthrough, Title = "Chung tay xử lý rác thải và chống rác thải nhựa" });
            db.Topics.Add(new Topic { OrgUnitId = city.Id, Year = year, Kind = TopicKind.EthicalStandard, Title = "Nói đi đôi với làm, gần dân, trọng dân" });
        }
        await db.SaveChangesAsync(ct);

        var demoMemberId = await db.Users.Where(u => u.Email == "dangvien@hlb.local").Select(u => u.MemberId).SingleAsync(ct);
        var tdp1 = branches.Single(b => b.Code == "TQ-TP-PT-TDP1");
        foreach (var m in members)
        {
            // Last year: 1–2 pledges each, a few members without a plan, about 97 % done.
            if (rnd.Next(100) < 96)
                for (var k = 0; k < 1 + rnd.Next(2); k++)
                {
                    var done = rnd.Next(100) < 97;
                    db.Pledges.Add(new Pledge
                    {
                        MemberId = m.Id, BranchId = m.BranchId, Year = lastYear, Content = PledgeTexts[rnd.Next(PledgeTexts.Length)],
                        Solution = "Thực hiện thường xuyên, báo cáo tại sinh hoạt chi bộ hằng tháng", Deadline = new DateOnly(lastYear, 11, 30),
                        Status = done ? PledgeStatus.Done : PledgeStatus.NotDone, Reason = done ? null : "Chưa hoàn thành do chuyển công tác giữa năm",
                        EvidenceNote = done ? "Đã thực hiện, chi bộ xác nhận tại kỳ sinh hoạt tháng 11" : null,
                    });
                }
            // This year: Tổ dân phố 1 waits for its secretary; the demo member has one approved pledge to report.
            if (m.Id == demoMemberId)
                db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = thisYear, Content = PledgeTexts[0], Solution = "Cả gia đình cùng thực hiện", Deadline = new DateOnly(thisYear, 12, 15), Status = PledgeStatus.Approved });
            else if (m.BranchId == tdp1.Id ? rnd.Next(100) < 40 : rnd.Next(100) < 85)
                db.Pledges.Add(new Pledge
                {
                    MemberId = m.Id, BranchId = m.BranchId, Year = thisYear, Content = PledgeTexts[rnd.Next(PledgeTexts.Length)],
                    Solution = "Đăng ký với chi bộ, báo cáo kết quả hằng quý", Deadline = new DateOnly(thisYear, 12, rnd.Next(1, 28)),
                    Status = m.BranchId == tdp1.Id ? PledgeStatus.Submitted : (PledgeStatus)new[] { 3, 5, 6, 7, 7 }[rnd.Next(5)],
                });
        }
        await db.SaveChangesAsync(ct);

        var categories = Enum.GetValues<CollectiveCategory>();
        foreach (var b in branches)
        {
            foreach (var c in categories)
                db.CollectivePledges.Add(new CollectivePledge
                {
                    OrgUnitId = b.Id, Year = lastYear, Category = c, What = CollectiveText(c), How = "Phân công đảng viên phụ trách, kiểm tra hằng quý",
                    Lead = "Bí thư chi bộ", Deadline = new DateOnly(lastYear, 12, 1), Status = rnd.Next(100) < 90 ? CollectiveStatus.Done : CollectiveStatus.NotDone,
                });
            db.Models.Add(new ExemplaryModel { OrgUnitId = b.Id, Year = lastYear, Kind = ModelKind.Collective, Title = rnd.Next(2) == 0 ? "Ngày Chủ nhật xanh" : "Hũ gạo tiết kiệm", Field = "Dân vận", StartDate = new DateOnly(lastYear, 3, 1), Status = ModelStatus.Recognised });
            var exemplar = members.First(m => m.BranchId == b.Id);
            db.Models.Add(new ExemplaryModel { OrgUnitId = b.Id, Year = lastYear, Kind = ModelKind.Exemplar, MemberId = exemplar.Id, Title = $"Điển hình {exemplar.FullName}", Field = "Gương mẫu nơi cư trú", Status = ModelStatus.Recognised });
        }
        var kinds = await db.OrgKinds.ToDictionaryAsync(k => k.Code, k => k.Id, ct);
        db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = province.Id, Year = lastYear, OrgKindId = kinds["chi-bo-truc-thuoc"], MinCollective = 1, MinExemplar = 2 });
        db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = province.Id, Year = lastYear, OrgKindId = kinds["chi-bo-co-so"], MinCollective = 1, MinExemplar = 2 });

        db.PressingProblems.AddRange(
            new PressingProblem { OrgUnitId = city.Id, Year = lastYear, Title = "Rác thải sinh hoạt tồn đọng tại các điểm tập kết", Owner = "Phó Chủ tịch UBND thành phố", Deadline = new DateOnly(lastYear, 9, 30), Outcome = ProblemOutcome.Resolved, ResolvedOn = new DateOnly(lastYear, 9, 15) },
            new PressingProblem { OrgUnitId = city.Id, Year = lastYear, Title = "Chậm giải quyết hồ sơ đất đai", Owner = "Trưởng phòng Tài nguyên và Môi trường", Deadline = new DateOnly(lastYear, 10, 31), Outcome = ProblemOutcome.Partly },
            new PressingProblem { OrgUnitId = city.Id, Year = thisYear, Title = "Lấn chiếm vỉa hè tại các tuyến phố trung tâm", Owner = "Chủ tịch UBND phường Phan Thiết", Deadline = new DateOnly(thisYear, 6, 30), Outcome = ProblemOutcome.Open });
        db.LeaderTasks.AddRange(
            new LeaderTask { OrgUnitId = province.Id, Year = lastYear, LeaderName = "Nguyễn Văn Thành", LeaderPosition = "Phó Bí thư Tỉnh ủy", Title = "Chỉ đạo số hóa hồ sơ thủ tục hành chính cấp xã", Deadline = new DateOnly(lastYear, 12, 31), Status = LeaderTaskStatus.Done, Outcome = "Hoàn thành" },
            new LeaderTask { OrgUnitId = province.Id, Year = lastYear, LeaderName = "Lê Thị Hà", LeaderPosition = "Trưởng Ban Tuyên giáo Tỉnh ủy", Title = "Tổ chức hội thi kể chuyện về Bác", Deadline = new DateOnly(lastYear, 5, 19), Status = LeaderTaskStatus.Done, Outcome = "Hoàn thành" });
        db.Commendations.Add(new Commendation { OrgUnitId = city.Id, Year = lastYear, Level = CommendationLevel.Certificate, RecipientOrgUnitId = tdp1.Id, IssuingBody = "Ban Thường vụ Thành ủy Tuyên Quang", DecisionNumber = "245-QĐ/TU", DecisionDate = new DateOnly(lastYear, 12, 10), Reason = "Có thành tích tiêu biểu trong học tập và làm theo Bác" });
        db.IndicatorValues.AddRange(
            new IndicatorValue { OrgUnitId = city.Id, Year = lastYear, Name = "Lượt tiếp công dân", Value = 735, Unit = "lượt" },
            new IndicatorValue { OrgUnitId = city.Id, Year = lastYear, Name = "Đơn thư tiếp nhận", Value = 816, Unit = "đơn" },
            new IndicatorValue { OrgUnitId = city.Id, Year = lastYear, Name = "Đơn thư đã giải quyết", Value = 774, Unit = "đơn" });
        await db.SaveChangesAsync(ct);

        var session = new StudySession { OrgUnitId = city.Id, Year = lastYear, HeldOn = new DateOnly(lastYear, 4, 20), Theme = "Học tập chuyên đề năm " + lastYear, Format = SessionFormat.InPerson };
        db.StudySessions.Add(session);
        await db.SaveChangesAsync(ct);
        var cityPath = city.Path;
        var cityMembers = await db.Members.Where(m => m.Branch.Path.IsDescendantOf(cityPath)).Select(m => m.Id).ToListAsync(ct);
        db.Attendances.AddRange(cityMembers.Select(id => new Attendance { SessionId = session.Id, MemberId = id, Status = rnd.Next(100) < 85 ? AttendanceStatus.Present : rnd.Next(2) == 0 ? AttendanceStatus.Excused : AttendanceStatus.Absent }));
        await db.SaveChangesAsync(ct);
    }

    private static string CollectiveText(CollectiveCategory c) => c switch
    {
        CollectiveCategory.Study => "Tổ chức học tập chuyên đề năm cho toàn thể đảng viên",
        CollectiveCategory.Follow => "Xây dựng tuyến phố văn minh, sạch đẹp",
        CollectiveCategory.Example => "Cấp ủy viên gương mẫu nhận giúp đỡ hộ khó khăn",
        CollectiveCategory.Creative => "Lập nhóm Zalo hướng dẫn dịch vụ công trực tuyến cho người cao tuổi",
        _ => "Giải quyết dứt điểm tình trạng đổ rác không đúng nơi quy định",
    };
}
