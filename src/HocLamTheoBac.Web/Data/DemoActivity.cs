using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The lived-in demo for scripts/run.sh and `hlb seed demo` (tests seed the bare tree of <see cref="DemoSeeder"/>,
/// which is this demo as it stood before 1 July 2025). The demo lives through 2024 (complete), 2025 across the
/// restructuring and this year under way. On 01/07/2025 the city and district committees are dissolved, their wards
/// and communes move under the Tỉnh ủy, ward Minh Xuân merges into Phan Thiết, the district's agency committee merges
/// into the new commune Yên Sơn, and a commune of the neighbouring Hà Giang province joins — all through the same
/// restructuring operations as the Restructure page and `hlb orgs` (Data/Restructuring.cs), run with the clock
/// set to that day. Names below province level are invented.
/// </summary>
public static class DemoActivity
{
    public const int Before = 2024;
    public const int Merger = 2025;
    public static readonly DateOnly RestructuredOn = new(Merger, 7, 1);

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

    /// <summary>
    /// Where and with whom each member carries out the pledge: members of one branch rarely write the same
    /// sentence, so the near-duplicate hint (ADR 0015) marks the few that really do, not the whole demo.
    /// No digits or measure words here: "nothing checkable" stays a property of the sentence itself.
    /// </summary>
    private static readonly string[] Settings =
    [
        "cùng Chi hội Phụ nữ nơi cư trú", "cùng Chi hội Cựu chiến binh", "cùng Chi đoàn thanh niên tổ dân phố",
        "với các hộ liền kề quanh nhà", "tại nhà văn hóa tổ dân phố", "ở cơ quan nơi công tác", "trong dòng họ và gia đình",
        "cùng Ban công tác Mặt trận khu dân cư", "với người cao tuổi trong ngõ xóm", "tại chợ và khu buôn bán gần nhà",
        "cùng tổ hòa giải ở cơ sở", "với học sinh ở điểm sinh hoạt hè",
    ];

    private static string Personal(string text, int memberId) => $"{text}, {Settings[memberId % Settings.Length]}";

    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var thisYear = Math.Max(db.Clock.Year, Merger + 1);
        var rnd = new Random(05);
        var kinds = await db.OrgKinds.ToDictionaryAsync(k => k.Code, k => k.Id, ct);
        var province = await db.OrgUnits.SingleAsync(u => u.Code == "TQ", ct);
        var city = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP", ct);

        // The neighbouring province as it stood before the merger of provinces: one commune with two village branches.
        var from = new DateOnly(2020, 1, 1);
        var hg = await db.AddUnitAsync(null, kinds["tinh-uy"], "HG", "Tỉnh ủy Hà Giang", from, ct);
        var hgCommune = await db.AddUnitAsync(hg, kinds["dang-uy-phuong-xa"], "HG-BQ", "Đảng ủy xã Bạch Quang", from, ct);
        var hgBranches = new[]
        {
            await db.AddUnitAsync(hgCommune, kinds["chi-bo-truc-thuoc"], "HG-BQ-NC", "Chi bộ thôn Nà Cạn", from, ct),
            await db.AddUnitAsync(hgCommune, kinds["chi-bo-truc-thuoc"], "HG-BQ-KM", "Chi bộ thôn Khuổi Mỵ", from, ct),
        };
        await db.SaveChangesAsync(ct);
        var n = 0;
        var hgMembers = new List<Member>();
        foreach (var b in hgBranches)
            for (var i = 0; i < 14 + rnd.Next(4); i++)
                hgMembers.Add(new Member
                {
                    FullName = $"{(i % 3 == 0 ? "Hoàng" : i % 3 == 1 ? "Ma" : "Nông")} {(i % 2 == 0 ? "Văn" : "Thị")} {PledgeWords[(n + i) % PledgeWords.Length]}",
                    CardNumber = $"05{++n:000000}", AdmittedOn = new DateOnly(1990 + i, 5, 19), OfficialOn = new DateOnly(1991 + i, 5, 19),
                    Position = i == 0 ? "Bí thư chi bộ" : "Đảng viên", BranchId = b.Id, Gender = i % 2 == 0 ? Gender.Male : Gender.Female,
                });
        db.Members.AddRange(hgMembers);
        await db.SaveChangesAsync(ct);
        db.MemberBranchPeriods.AddRange(hgMembers.Select(m => new MemberBranchPeriod { MemberId = m.Id, BranchId = m.BranchId, ValidFrom = from }));
        await db.SaveChangesAsync(ct);

        var members = await db.Members.OrderBy(m => m.Id).ToListAsync(ct);
        var branches = await db.OrgUnits.Where(u => u.Kind.IsBranch).OrderBy(u => u.Code).ToListAsync(ct);
        var demoMemberId = await db.Users.Where(u => u.Email == "dangvien@hlb.local").Select(u => u.MemberId).SingleAsync(ct);
        var tdp1 = branches.Single(b => b.Code == "TQ-TP-PT-TDP1");

        // 2024 and 2025: plans of both provinces, every member's pledges, collective plans, models.
        foreach (var year in new[] { Before, Merger })
        {
            foreach (var p in new[] { province, hg })
                db.PlanYears.Add(new PlanYear
                {
                    OrgUnitId = p.Id, Year = year, PlanNumber = $"{(year == Before ? 12 : 18)}-KH/TU", PlanDate = new DateOnly(year, 2, 15), RegistrationDeadline = new DateOnly(year, 3, 31),
                    Theme = year == Before
                        ? "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng chính quyền gần dân, phục vụ nhân dân"
                        : "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng trong sạch, vững mạnh",
                });
            db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = year, Kind = TopicKind.Breakthrough, Title = "Đẩy mạnh cải cách thủ tục hành chính" });
            db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = year, Kind = TopicKind.Breakthrough, Title = "Chung tay xử lý rác thải và chống rác thải nhựa" });
            db.Topics.Add(new Topic { OrgUnitId = city.Id, Year = year, Kind = TopicKind.EthicalStandard, Title = "Nói đi đôi với làm, gần dân, trọng dân" });
            foreach (var m in members)
                if (rnd.Next(100) < 96)
                    for (var k = 0; k < 1 + rnd.Next(2); k++)
                    {
                        // 2024 is finished; 2025's pledges are carried out and judged after the restructuring (below).
                        var done = rnd.Next(100) < 97;
                        db.Pledges.Add(new Pledge
                        {
                            MemberId = m.Id, BranchId = m.BranchId, Year = year, Content = Personal(PledgeTexts[rnd.Next(PledgeTexts.Length)], m.Id),
                            Solution = "Thực hiện thường xuyên, báo cáo tại sinh hoạt chi bộ hằng tháng", Deadline = new DateOnly(year, 11, 30),
                            Status = year == Merger ? PledgeStatus.InProgress : done ? PledgeStatus.Done : PledgeStatus.NotDone,
                            Reason = year == Before && !done ? "Chưa hoàn thành do chuyển công tác giữa năm" : null,
                            EvidenceNote = year == Before && done ? "Đã thực hiện, chi bộ xác nhận tại kỳ sinh hoạt tháng 11" : null,
                        });
                    }
            foreach (var b in branches)
            {
                foreach (var c in Enum.GetValues<CollectiveCategory>())
                    db.CollectivePledges.Add(new CollectivePledge
                    {
                        OrgUnitId = b.Id, Year = year, Category = c, What = CollectiveText(c), How = "Phân công đảng viên phụ trách, kiểm tra hằng quý",
                        Lead = "Bí thư chi bộ", Deadline = new DateOnly(year, 12, 1),
                        Status = year == Merger ? CollectiveStatus.InProgress : rnd.Next(100) < 90 ? CollectiveStatus.Done : CollectiveStatus.NotDone,
                    });
                db.Models.Add(new ExemplaryModel { OrgUnitId = b.Id, Year = year, Kind = ExemplaryModelKind.Collective, Title = rnd.Next(2) == 0 ? "Ngày Chủ nhật xanh" : "Hũ gạo tiết kiệm", Field = "Dân vận", StartDate = new DateOnly(year, 3, 1), Status = year == Before ? ExemplaryModelStatus.Recognised : ExemplaryModelStatus.Building });
                var exemplar = members.First(m => m.BranchId == b.Id);
                db.Models.Add(new ExemplaryModel { OrgUnitId = b.Id, Year = year, Kind = ExemplaryModelKind.Exemplar, MemberId = exemplar.Id, Title = $"Điển hình {exemplar.FullName}", Field = "Gương mẫu nơi cư trú", Status = year == Before ? ExemplaryModelStatus.Recognised : ExemplaryModelStatus.Building });
            }
            db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = province.Id, Year = year, OrgKindId = kinds["chi-bo-truc-thuoc"], MinCollective = 1, MinExemplar = 2 });
            db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = province.Id, Year = year, OrgKindId = kinds["chi-bo-co-so"], MinCollective = 1, MinExemplar = 2 });
            db.LeaderTasks.Add(new LeaderTask { OrgUnitId = province.Id, Year = year, LeaderName = "Nguyễn Văn Thành", LeaderPosition = "Phó Bí thư Tỉnh ủy", Title = "Chỉ đạo số hóa hồ sơ thủ tục hành chính cấp xã", Deadline = new DateOnly(year, 12, 31), Status = year == Before ? LeaderTaskStatus.Done : LeaderTaskStatus.Assigned, Outcome = year == Before ? "Hoàn thành" : null });
            db.IndicatorValues.AddRange(
                new IndicatorValue { OrgUnitId = city.Id, Year = year, Name = "Lượt tiếp công dân", Value = year == Before ? 735 : 412, Unit = "lượt" },
                new IndicatorValue { OrgUnitId = city.Id, Year = year, Name = "Đơn thư tiếp nhận", Value = year == Before ? 816 : 430, Unit = "đơn" });
        }
        db.PressingProblems.AddRange(
            new PressingProblem { OrgUnitId = city.Id, Year = Before, Title = "Rác thải sinh hoạt tồn đọng tại các điểm tập kết", Owner = "Phó Chủ tịch UBND thành phố", Deadline = new DateOnly(Before, 9, 30), Outcome = ProblemOutcome.Resolved, ResolvedOn = new DateOnly(Before, 9, 15) },
            new PressingProblem { OrgUnitId = city.Id, Year = Before, Title = "Chậm giải quyết hồ sơ đất đai", Owner = "Trưởng phòng Tài nguyên và Môi trường", Deadline = new DateOnly(Before, 10, 31), Outcome = ProblemOutcome.Partly },
            new PressingProblem { OrgUnitId = city.Id, Year = Merger, Title = "Lấn chiếm vỉa hè tại các tuyến phố trung tâm", Owner = "Chủ tịch UBND phường Phan Thiết", Deadline = new DateOnly(Merger, 10, 31) });
        db.LeaderTasks.Add(new LeaderTask { OrgUnitId = hg.Id, Year = Merger, LeaderName = "Lò Văn Páo", LeaderPosition = "Phó Bí thư Tỉnh ủy Hà Giang", Title = "Chuẩn bị hồ sơ sáp nhập đơn vị hành chính cấp xã", Deadline = new DateOnly(Merger, 12, 31) });
        db.Commendations.Add(new Commendation { OrgUnitId = city.Id, Year = Before, Level = CommendationLevel.Certificate, RecipientOrgUnitId = tdp1.Id, IssuingBody = "Ban Thường vụ Thành ủy Tuyên Quang", DecisionNumber = "245-QĐ/TU", DecisionDate = new DateOnly(Before, 12, 10), Reason = "Có thành tích tiêu biểu trong học tập và làm theo Bác" });
        await db.SaveChangesAsync(ct);
        await SessionAsync(db, city, new DateOnly(Before, 4, 20), rnd, ct);
        await SessionAsync(db, city, new DateOnly(Merger, 4, 18), rnd, ct);

        await GradeAsync(db, Before, rnd, ct);

        // 2024 is closed in January 2025 by both provinces.
        await using (var jan = At(db, new DateOnly(Merger, 1, 20)))
        {
            foreach (var y in await jan.PlanYears.Where(p => p.Year == Before).ToListAsync(ct)) y.ClosedAt = jan.Clock.Now;
            await jan.SaveChangesAsync(ct);
        }

        // 01/07/2025: the district level is dissolved, wards merged, the neighbouring province's commune joins.
        await using (var july = At(db, RestructuredOn))
        {
            await RestructureAsync(july, kinds, ct);
        }
        db.ChangeTracker.Clear();

        // The rest of 2025, judged at the year end and closed in January of this year.
        var y2025 = await db.Pledges.Where(p => p.Year == Merger).OrderBy(p => p.Id).ToListAsync(ct);
        foreach (var p in y2025)
        {
            var done = rnd.Next(100) < 97;
            p.Status = done ? PledgeStatus.Done : PledgeStatus.NotDone;
            p.Reason = done ? null : "Chưa hoàn thành do chuyển công tác";
            p.EvidenceNote = done ? "Chi bộ xác nhận tại kỳ sinh hoạt tháng 12" : null;
        }
        foreach (var c in await db.CollectivePledges.Where(c => c.Year == Merger).ToListAsync(ct))
            c.Status = rnd.Next(100) < 92 ? CollectiveStatus.Done : CollectiveStatus.NotDone;
        foreach (var m in await db.Models.Where(m => m.Year == Merger).ToListAsync(ct)) m.Status = ExemplaryModelStatus.Recognised;
        foreach (var t in await db.LeaderTasks.Where(t => t.Year == Merger).ToListAsync(ct)) { t.Status = LeaderTaskStatus.Done; t.Outcome = "Hoàn thành"; }
        foreach (var pr in await db.PressingProblems.Where(p => p.Year == Merger).ToListAsync(ct)) { pr.Outcome = ProblemOutcome.Resolved; pr.ResolvedOn = new DateOnly(Merger, 10, 20); }
        var ward = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT", ct);
        db.Commendations.Add(new Commendation { OrgUnitId = province.Id, Year = Merger, Level = CommendationLevel.Merit, RecipientOrgUnitId = ward.Id, IssuingBody = "Ban Thường vụ Tỉnh ủy Tuyên Quang", DecisionNumber = "512-QĐ/TU", DecisionDate = new DateOnly(Merger, 12, 15), Reason = "Hoàn thành tốt việc sắp xếp tổ chức, giữ vững nền nếp học tập và làm theo Bác" });
        await db.SaveChangesAsync(ct);
        await SessionAsync(db, ward, new DateOnly(Merger, 10, 12), rnd, ct);
        await GradeAsync(db, Merger, rnd, ct);
        await using (var jan = At(db, new DateOnly(Merger + 1, 1, 20)))
        {
            foreach (var y in await jan.PlanYears.Where(p => p.Year == Merger && p.OrgUnitId == province.Id).ToListAsync(ct)) y.ClosedAt = jan.Clock.Now;
            await jan.SaveChangesAsync(ct);
        }

        // This year, under way in the new tree: Tổ dân phố 1 waits for its secretary; the demo member has one approved pledge to report.
        db.PlanYears.Add(new PlanYear
        {
            OrgUnitId = province.Id, Year = thisYear, PlanNumber = "35-KH/TU", PlanDate = new DateOnly(thisYear, 2, 15), RegistrationDeadline = new DateOnly(thisYear, 3, 31),
            Theme = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về chuyển đổi số vì nhân dân",
        });
        db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = thisYear, Kind = TopicKind.Breakthrough, Title = "Vận hành hiệu quả chính quyền địa phương hai cấp" });
        db.Topics.Add(new Topic { OrgUnitId = province.Id, Year = thisYear, Kind = TopicKind.Breakthrough, Title = "Chung tay xử lý rác thải và chống rác thải nhựa" });
        var active = await db.Members.Where(m => m.Status == MemberStatus.Active).OrderBy(m => m.Id).ToListAsync(ct);
        foreach (var m in active)
        {
            if (m.Id == demoMemberId)
                db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = thisYear, Content = PledgeTexts[0], Solution = "Cả gia đình cùng thực hiện", Deadline = new DateOnly(thisYear, 12, 15), Status = PledgeStatus.Approved });
            else if (m.BranchId == tdp1.Id ? rnd.Next(100) < 40 : rnd.Next(100) < 85)
                db.Pledges.Add(new Pledge
                {
                    MemberId = m.Id, BranchId = m.BranchId, Year = thisYear, Content = Personal(PledgeTexts[rnd.Next(PledgeTexts.Length)], m.Id),
                    Solution = "Đăng ký với chi bộ, báo cáo kết quả hằng quý", Deadline = new DateOnly(thisYear, 12, rnd.Next(1, 28)),
                    Status = m.BranchId == tdp1.Id ? PledgeStatus.Submitted : (PledgeStatus)new[] { 3, 5, 6, 7, 7 }[rnd.Next(5)],
                });
        }
        foreach (var b in await db.OrgUnits.Where(u => u.Kind.IsBranch && u.ClosedOn == null).ToListAsync(ct))
            foreach (var c in new[] { CollectiveCategory.Study, CollectiveCategory.Follow, CollectiveCategory.Example })
                db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = b.Id, Year = thisYear, Category = c, What = CollectiveText(c), Lead = "Bí thư chi bộ", Deadline = new DateOnly(thisYear, 12, 1) });
        db.PressingProblems.Add(new PressingProblem { OrgUnitId = ward.Id, Year = thisYear, Title = "Ùn tắc giao thông giờ tan trường tại tuyến phố trung tâm", Owner = "Chủ tịch UBND phường Phan Thiết", Deadline = new DateOnly(thisYear, 6, 30) });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The year-end evaluation each branch records before its year is closed: a member who did every pledge is
    /// graded good or better (a few excellent), one who left a pledge undone at most "completed", a few "not completed".
    /// </summary>
    private static async Task GradeAsync(AppDbContext db, int year, Random rnd, CancellationToken ct)
    {
        var undone = (await db.Pledges.Where(p => p.Year == year && p.Status == PledgeStatus.NotDone).Select(p => p.MemberId).ToListAsync(ct)).ToHashSet();
        foreach (var m in await db.Members.OrderBy(m => m.Id).Select(m => new { m.Id, m.BranchId }).ToListAsync(ct))
        {
            var roll = rnd.Next(100);
            var level = undone.Contains(m.Id)
                ? roll < 25 ? GradeLevel.NotCompleted : GradeLevel.Completed
                : roll < 18 ? GradeLevel.Excellent : roll < 88 ? GradeLevel.Good : GradeLevel.Completed;
            db.MemberGrades.Add(new MemberGrade { MemberId = m.Id, BranchId = m.BranchId, Year = year, Level = level, Note = level == GradeLevel.NotCompleted ? "Chưa hoàn thành việc làm theo đã đăng ký" : null });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The 2025 restructuring, through the same operations as the Restructure page and `hlb orgs`.</summary>
    private static async Task RestructureAsync(AppDbContext db, Dictionary<string, int> kinds, CancellationToken ct)
    {
        var on = db.Clock.Today;
        async Task<OrgUnit> Unit(string code) => await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == code, ct);
        static void Ok(string? refusal) { if (refusal is not null) throw new InvalidOperationException("Dữ liệu mẫu: " + refusal); }

        var province = await Unit("TQ");
        // A new commune takes the former district's school branch and its agency committee's branch.
        var commune = await db.AddUnitAsync(province, kinds["dang-uy-phuong-xa"], "TQ-YS-XA", "Đảng ủy xã Yên Sơn", on, ct);
        await db.SaveChangesAsync(ct);
        commune = await Unit("TQ-YS-XA");
        Ok(await Restructuring.MoveAsync(db, await Unit("TQ-YS-THCS"), commune, on, ct));
        Ok(await Restructuring.MergeAsync(db, await Unit("TQ-YS-UB"), commune, on, ct));
        // Ward Minh Xuân merges into Phan Thiết, which now stands directly under the provincial committee.
        Ok(await Restructuring.MergeAsync(db, await Unit("TQ-TP-MX"), await Unit("TQ-TP-PT"), on, ct));
        Ok(await Restructuring.MoveAsync(db, await Unit("TQ-TP-PT"), province, on, ct));
        // The commune of the neighbouring province joins; that province's committee is dissolved into this one.
        Ok(await Restructuring.MoveAsync(db, await Unit("HG-BQ"), province, on, ct));
        Ok(await Restructuring.CloseAsync(db, await Unit("HG"), on, province, ct));
        // The city and district committees are dissolved; their remaining work goes to their successors.
        Ok(await Restructuring.CloseAsync(db, await Unit("TQ-TP"), on, await Unit("TQ-TP-PT"), ct));
        Ok(await Restructuring.CloseAsync(db, await Unit("TQ-YS"), on, commune, ct));

        // ADR 0014: the city board's account is rebound to the ward committee that took over the city centre.
        var ward = await Unit("TQ-TP-PT");
        foreach (var b in await db.RoleBindings.Where(b => b.OrgUnit.ClosedOn != null).ToListAsync(ct))
        {
            var user = await db.Users.Where(u => u.Id == b.UserId).Select(u => u.Email).SingleAsync(ct);
            db.RoleBindings.Remove(b);
            db.RoleBindings.Add(new RoleBinding { UserId = b.UserId, Role = b.Role, OrgUnitId = ward.Id, GrantedAt = db.Clock.Now });
            db.AuditEntries.Add(new AuditEntry
            {
                At = db.Clock.Now, Actor = db.Actor.Name, UserId = db.Actor.UserId, Action = "Gán lại vai trò", EntityType = nameof(AppUser), EntityId = b.UserId,
                OrgUnitId = ward.Id, Note = $"{user}: đơn vị cũ giải thể ngày {on:dd/MM/yyyy}, chuyển sang {ward.Name}",
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private static async Task SessionAsync(AppDbContext db, OrgUnit unit, DateOnly on, Random rnd, CancellationToken ct)
    {
        var session = new StudySession { OrgUnitId = unit.Id, Year = on.Year, HeldOn = on, Theme = "Học tập chuyên đề năm " + on.Year, Format = SessionFormat.InPerson };
        db.StudySessions.Add(session);
        await db.SaveChangesAsync(ct);
        var path = unit.Path;
        var expected = await db.MemberBranchPeriods.Where(Membership.CoversDate(on))
            .Where(p => db.OrgUnits.Any(u => u.Id == p.BranchId && u.Path.IsDescendantOf(path))).Select(p => p.MemberId).Distinct().ToListAsync(ct);
        db.Attendances.AddRange(expected.Select(id => new Attendance { SessionId = session.Id, MemberId = id, Status = rnd.Next(100) < 85 ? AttendanceStatus.Present : rnd.Next(2) == 0 ? AttendanceStatus.Excused : AttendanceStatus.Absent }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A context on the same connection and transaction whose clock reads <paramref name="day"/> (10:00 in Vietnam).</summary>
    private static AppDbContext At(AppDbContext db, DateOnly day)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(db.Database.GetDbConnection()).Options;
        var then = new AppDbContext(options, db.Actor, new VietnamCalendar(new FixedTime(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), VietnamCalendar.Offset))));
        if (db.Database.CurrentTransaction is { } tx) then.Database.UseTransaction(tx.GetDbTransaction());
        return then;
    }

    private sealed class FixedTime(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at.ToUniversalTime();
    }

    private static readonly string[] PledgeWords = ["Páo", "Dình", "Sử", "Mai", "Lành", "Thào", "Chính", "Hạnh", "Sình", "Thu", "Quyết", "Nhung", "Tráng", "Xuân", "Vàng", "Liên", "Dũng"];

    private static string CollectiveText(CollectiveCategory c) => c switch
    {
        CollectiveCategory.Study => "Tổ chức học tập chuyên đề năm cho toàn thể đảng viên",
        CollectiveCategory.Follow => "Xây dựng tuyến phố văn minh, sạch đẹp",
        CollectiveCategory.Example => "Cấp ủy viên gương mẫu nhận giúp đỡ hộ khó khăn",
        CollectiveCategory.Creative => "Lập nhóm Zalo hướng dẫn dịch vụ công trực tuyến cho người cao tuổi",
        _ => "Giải quyết dứt điểm tình trạng đổ rác không đúng nơi quy định",
    };
}
