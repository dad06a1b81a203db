using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// A known data set for year-end reports on top of the demo tree: pledges in every status (some
/// soft-deleted), collective pledges, models and quotas set at two levels, replications,
/// commendations, study sessions with attendance, pressing problems, leaders' tasks and indicators.
/// </summary>
public static class ReportData
{
    public const int Year = 2025;

    public static async Task SeedAsync(AppDbContext db)
    {
        var units = await db.OrgUnits.AsNoTracking().ToDictionaryAsync(u => u.Code);
        var members = await db.Members.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        var i = 0;
        foreach (var m in members)
        {
            i++;
            if (i % 4 == 0) continue; // no personal plan
            var status = (i % 3) switch { 0 => PledgeStatus.Done, 1 => PledgeStatus.InProgress, _ => PledgeStatus.Approved };
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year, Content = $"Việc làm theo số {i}", Status = status, Deadline = new DateOnly(Year, 6, 30) });
            if (i % 5 == 0) db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year, Content = "Giữ gìn vệ sinh khu dân cư", Status = PledgeStatus.Done });
            if (i % 7 == 0) db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year, Content = "Bản nháp", Status = PledgeStatus.Draft });
            if (i % 11 == 0) db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year, Content = "Bị trả lại", Status = PledgeStatus.Returned });
            if (i % 13 == 0) db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year, Content = "Đã xóa", Status = PledgeStatus.Done, DeletedAt = TestClock.Calendar.Now });
            if (i % 17 == 0) db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Year - 1, Content = "Năm trước", Status = PledgeStatus.Done });
        }

        var branchKind = units["TQ-TP-PT-TDP1"].KindId;
        db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = units["TQ"].Id, Year = Year, OrgKindId = branchKind, MinCollective = 1, MinExemplar = 2 });
        db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = units["TQ-TP"].Id, Year = Year, OrgKindId = branchKind, MinCollective = 2, MinExemplar = 3 });

        var k = 0;
        foreach (var code in new[] { "TQ-TP-PT-TDP1", "TQ-TP-PT-TDP2", "TQ-TP-MX-TDP5", "TQ-YS-UB-VP", "TQ-YS-THCS", "TQ-TP-PT", "TQ-TP" })
        {
            k++;
            var u = units[code].Id;
            for (var c = 0; c < 3 + k % 2; c++)
                db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = u, Year = Year, Category = (CollectiveCategory)(1 + c % 5), What = $"Nội dung tập thể {c + 1}", Status = c < 2 ? CollectiveStatus.Done : CollectiveStatus.InProgress });
            db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = u, Year = Year, Category = CollectiveCategory.Study, What = "Đã xóa", Status = CollectiveStatus.Done, DeletedAt = TestClock.Calendar.Now });
            var model = new ExemplaryModel { OrgUnitId = u, Year = Year, Kind = ExemplaryModelKind.Collective, Title = "Ngày Chủ nhật xanh", Status = k % 2 == 0 ? ExemplaryModelStatus.Recognised : ExemplaryModelStatus.Building };
            db.Models.Add(model);
            db.Models.Add(new ExemplaryModel { OrgUnitId = u, Year = Year, Kind = ExemplaryModelKind.Exemplar, Title = "Gương điển hình", Status = ExemplaryModelStatus.Recognised });
            if (k % 3 == 0) db.Models.Add(new ExemplaryModel { OrgUnitId = u, Year = Year, Kind = ExemplaryModelKind.Exemplar, Title = "Hũ gạo tiết kiệm", Status = ExemplaryModelStatus.Registered });
            await db.SaveChangesAsync();
            if (k <= 3) db.ModelReplications.Add(new ModelReplication { ModelId = model.Id, OrgUnitId = units["TQ-YS-THCS"].Id, Year = Year, ReplicatedOn = new DateOnly(Year, 9, 1) });
            db.Commendations.Add(new Commendation { OrgUnitId = u, Year = Year, Level = (CommendationLevel)(1 + k % 3), IssuingBody = "Ban Thường vụ Tỉnh ủy", RecipientOrgUnitId = u });
            db.PressingProblems.Add(new PressingProblem { OrgUnitId = u, Year = Year, Title = "Rác thải nhựa", Outcome = k % 2 == 0 ? ProblemOutcome.Resolved : ProblemOutcome.Partly });
            db.IndicatorValues.Add(new IndicatorValue { OrgUnitId = u, Year = Year, Name = "Lượt tiếp công dân", Value = 10 * k, Unit = "lượt" });
        }
        db.LeaderTasks.Add(new LeaderTask { OrgUnitId = units["TQ"].Id, Year = Year, LeaderName = "Nguyễn Văn An", Title = "Cải cách thủ tục hành chính", Status = LeaderTaskStatus.Done });
        db.LeaderTasks.Add(new LeaderTask { OrgUnitId = units["TQ-TP"].Id, Year = Year, LeaderName = "Trần Thị Hà", Title = "Chống rác thải nhựa", Status = LeaderTaskStatus.Assigned });
        db.PlanYears.Add(new PlanYear { OrgUnitId = units["TQ"].Id, Year = Year, Theme = "Học tập và làm theo Bác về ý chí tự lực, tự cường" });
        db.PlanYears.Add(new PlanYear { OrgUnitId = units["TQ-TP"].Id, Year = Year, Theme = "Học tập và làm theo Bác về ý chí tự lực, tự cường" });
        await db.SaveChangesAsync();

        foreach (var code in new[] { "TQ-TP-PT-TDP1", "TQ-YS-THCS" })
        {
            var s = new StudySession { OrgUnitId = units[code].Id, Year = Year, HeldOn = new DateOnly(Year, 3, 15), Theme = "Chuyên đề năm 2025", Format = SessionFormat.InPerson };
            db.StudySessions.Add(s);
            await db.SaveChangesAsync();
            var j = 0;
            foreach (var m in members.Where(m => m.BranchId == units[code].Id))
                db.Attendances.Add(new Attendance { SessionId = s.Id, MemberId = m.Id, Status = j++ % 6 == 5 ? AttendanceStatus.Absent : AttendanceStatus.Present });
        }
        await db.SaveChangesAsync();
    }
}
