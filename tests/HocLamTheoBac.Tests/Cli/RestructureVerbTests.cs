using System.Net;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Cli;

/// <summary>`hlb orgs move|merge|close` follow the same rules and audit as the Restructure page (ADR 0006).</summary>
public sealed class RestructureVerbTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => TestClock.Year;
    private static string Today => TestClock.Today.ToString("dd/MM/yyyy");

    private async Task<int> Hlb(params string[] args)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        return await CommandLine.RunAsync(args, new StringWriter(), config, TestClock.Calendar);
    }

    private Task<Figures> ProvinceAsync(int year) => app.DbAsync(async db =>
        (await Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync(), year, default)).Totals);

    [Fact]
    public async Task A_merge_from_the_command_line_moves_every_record_of_the_year_and_keeps_the_province_figures()
    {
        var (tdp5, ward) = (await app.OrgIdAsync("TQ-TP-MX-TDP5"), await app.OrgIdAsync("TQ-TP-MX"));
        await app.DbAsync(async db =>
        {
            var m = await db.Members.Where(x => x.BranchId == tdp5).OrderBy(x => x.Id).FirstAsync();
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = tdp5, Year = Y, Content = "Việc đã xong", Status = PledgeStatus.Done });
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = tdp5, Year = Y, Content = "Việc đang làm", Status = PledgeStatus.InProgress });
            db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = tdp5, Year = Y, Category = CollectiveCategory.Follow, What = "Tuyến phố sạch", Status = CollectiveStatus.Done });
            db.StudySessions.Add(new StudySession { OrgUnitId = tdp5, Year = Y, HeldOn = new DateOnly(Y, 4, 1), Theme = "Chuyên đề", Format = SessionFormat.InPerson });
            db.PressingProblems.Add(new PressingProblem { OrgUnitId = tdp5, Year = Y, Title = "Rác thải" });
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = tdp5, Year = Y - 1, Content = "Việc năm trước", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });
        var before = await ProvinceAsync(Y);
        var lastYear = await ProvinceAsync(Y - 1);

        Assert.Equal(1, await Hlb("orgs", "merge", "TQ-TP-MX-TDP5", "--into", "TQ-TP-PT-TDP1", "--on", "15/12/" + (Y - 1)));
        Assert.Equal(1, await Hlb("orgs", "merge", "TQ-TP-MX-TDP5", "--into", "TQ-TP-PT-TDP1", "--on", Today, "--as", "bithu@hlb.local"));
        Assert.Equal(0, await Hlb("orgs", "merge", "TQ-TP-MX-TDP5", "--into", "TQ-TP-PT-TDP1", "--on", Today, "--as", "admin@hlb.local"));

        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        await app.DbAsync(async db =>
        {
            var source = await db.OrgUnits.SingleAsync(u => u.Id == tdp5);
            Assert.Equal(tdp1, source.MergedIntoId);
            Assert.Equal(TestClock.Today, source.ClosedOn);
            Assert.Equal(0, await db.Pledges.CountAsync(p => p.BranchId == tdp5 && p.Year == Y));
            Assert.Equal(1, await db.Pledges.CountAsync(p => p.BranchId == tdp5 && p.Year == Y - 1)); // past years stay
            Assert.Equal(0, await db.CollectivePledges.CountAsync(p => p.OrgUnitId == tdp5 && p.Year == Y));
            Assert.Equal(1, await db.StudySessions.CountAsync(p => p.OrgUnitId == tdp5)); // held before the merger: stays, counts for the successor
            Assert.Equal(0, await db.PressingProblems.CountAsync(p => p.OrgUnitId == tdp5));
            Assert.Equal(0, await db.Members.CountAsync(m => m.BranchId == tdp5 && m.Status == MemberStatus.Active));
            Assert.False(await db.MemberBranchPeriods.AnyAsync(p => p.ValidTo != null && p.ValidTo < p.ValidFrom));
            var moved = await db.Pledges.Where(p => p.BranchId == tdp1 && p.Content == "Việc đang làm").Select(p => p.Id).SingleAsync();
            Assert.Contains(await db.AuditEntries.Where(a => a.EntityType == "Pledge" && a.EntityId == moved.ToString()).ToListAsync(), a => a.Note != null && a.Note.Contains("Hợp nhất") && a.Actor.Contains("admin@hlb.local"));
        });
        Assert.Equal(before, await ProvinceAsync(Y));
        Assert.Equal(lastYear, await ProvinceAsync(Y - 1));
        Assert.Equal(0, await app.DbAsync(db => db.OrgUnits.CountAsync(u => u.Id == ward && u.ClosedOn != null)));
    }

    [Fact]
    public async Task Closing_a_unit_that_still_owns_this_year_s_records_is_refused_on_the_page_and_the_command_line_unless_a_successor_takes_them()
    {
        var ub = await app.OrgIdAsync("TQ-YS-UB");
        var vp = await app.OrgIdAsync("TQ-YS-UB-VP");
        await app.DbAsync(async db =>
        {
            foreach (var m in await db.Members.Where(x => x.BranchId == vp).ToListAsync())
                await HocLamTheoBac.Web.Data.MemberTransfers.TransferAsync(db, m, await db.OrgUnits.Where(u => u.Code == "TQ-YS-THCS").Select(u => u.Id).SingleAsync(), TestClock.Today, default);
            db.Models.Add(new ExemplaryModel { OrgUnitId = vp, Year = Y, Kind = ExemplaryModelKind.Collective, Title = "Hũ gạo tiết kiệm" });
            await db.SaveChangesAsync();
        });
        var admin = await app.SignedInAsync("admin@hlb.local");
        var page = await admin.PostFormAsync($"/Orgs/Restructure/{vp}?handler=Close", new() { ["Input.EffectiveOn"] = TestClock.Today.ToString("yyyy-MM-dd") }, getUrl: $"/Orgs/Restructure/{vp}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"còn 1 bản ghi của năm {Y}", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
        Assert.Equal(1, await Hlb("orgs", "close", "TQ-YS-UB-VP", "--on", Today));
        Assert.Null(await app.DbAsync(db => db.OrgUnits.Where(u => u.Id == vp).Select(u => u.ClosedOn).SingleAsync()));

        var before = await ProvinceAsync(Y);
        Assert.Equal(0, await Hlb("orgs", "close", "TQ-YS-UB-VP", "--on", Today, "--successor", "TQ-YS-UB"));
        Assert.Equal(1, await app.DbAsync(db => db.Models.CountAsync(m => m.OrgUnitId == ub && m.Year == Y)));
        Assert.Equal(before.ModelsCollective, (await ProvinceAsync(Y)).ModelsCollective);
    }

    [Fact]
    public async Task Moving_a_unit_from_the_command_line_changes_this_year_s_tree_and_not_last_year_s()
    {
        var district = await app.OrgIdAsync("TQ-YS");
        var province = await app.OrgIdAsync("TQ");
        Assert.Equal(2, await Hlb("orgs", "move", "TQ-YS-THCS", "--to", "TQ", "--on", "32/13/2026"));
        Assert.Equal(0, await Hlb("orgs", "move", "TQ-YS-THCS", "--to", "TQ", "--on", Today));
        await app.DbAsync(async db =>
        {
            var thcs = await db.OrgUnits.Where(u => u.Code == "TQ-YS-THCS").Select(u => u.Id).SingleAsync();
            var now = await Rollup.ComputeAsync(db, province, Y, default);
            var then = await Rollup.ComputeAsync(db, province, Y - 1, default);
            Assert.Equal(province, now.All.Single(u => u.UnitId == thcs).ParentId);
            Assert.Equal(district, then.All.Single(u => u.UnitId == thcs).ParentId);
        });
    }
}

/// <summary>One year-closure guard for every yearly record, whatever page, import or command asks.</summary>
public sealed class YearClosureGuardTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Closed = 2025;

    [Fact]
    public async Task A_closed_year_refuses_every_kind_of_yearly_record_and_a_record_moved_out_of_it()
    {
        var (province, tdp1) = (await app.OrgIdAsync("TQ"), await app.OrgIdAsync("TQ-TP-PT-TDP1"));
        var member = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp1).Select(m => m.Id).FirstAsync());
        var item = await app.DbAsync(async db =>
        {
            var c = new CollectivePledge { OrgUnitId = tdp1, Year = Closed, Category = CollectiveCategory.Study, What = "Học tập chuyên đề" };
            var s = new StudySession { OrgUnitId = tdp1, Year = Closed, HeldOn = new DateOnly(Closed, 5, 1), Theme = "Chuyên đề", Format = SessionFormat.InPerson };
            db.AddRange(c, s);
            db.PlanYears.Add(new PlanYear { OrgUnitId = province, Year = Closed, Theme = "Chuyên đề", ClosedAt = TestClock.Calendar.Now });
            await db.SaveChangesAsync();
            return (c.Id, s.Id);
        });
        object[] records =
        [
            new Pledge { MemberId = member, BranchId = tdp1, Year = Closed, Content = "x" },
            new CollectivePledge { OrgUnitId = tdp1, Year = Closed, Category = CollectiveCategory.Study, What = "x" },
            new ExemplaryModel { OrgUnitId = tdp1, Year = Closed, Kind = ExemplaryModelKind.Collective, Title = "x" },
            new Commendation { OrgUnitId = tdp1, Year = Closed, Level = CommendationLevel.Praise, IssuingBody = "x" },
            new StudySession { OrgUnitId = tdp1, Year = Closed, HeldOn = new DateOnly(Closed, 6, 1), Theme = "x", Format = SessionFormat.Online },
            new Attendance { SessionId = item.Item2, MemberId = member, Status = AttendanceStatus.Present },
            new PressingProblem { OrgUnitId = tdp1, Year = Closed, Title = "x" },
            new LeaderTask { OrgUnitId = province, Year = Closed, LeaderName = "x", LeaderPosition = "x", Title = "x" },
            new IndicatorValue { OrgUnitId = tdp1, Year = Closed, Name = "x", Value = 1 },
            new Topic { OrgUnitId = tdp1, Year = Closed, Kind = TopicKind.Breakthrough, Title = "x" },
        ];
        foreach (var r in records)
        {
            var ex = await Assert.ThrowsAsync<YearClosedException>(() => app.DbAsync(async db => { db.Add(r); await db.SaveChangesAsync(); }));
            Assert.Equal($"Năm {Closed} đã khóa sổ: số liệu của năm này chỉ được xem, không thể thêm, sửa hoặc xóa.", ex.Message);
        }
        // Posting another year does not get a closed year's record out of it, nor can it be deleted.
        await Assert.ThrowsAsync<YearClosedException>(() => app.DbAsync(async db =>
        {
            var c = await db.CollectivePledges.SingleAsync(x => x.Id == item.Item1);
            c.Year = Closed + 1;
            await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<YearClosedException>(() => app.DbAsync(async db =>
        {
            var c = await db.CollectivePledges.SingleAsync(x => x.Id == item.Item1);
            c.DeletedAt = TestClock.Calendar.Now;
            await db.SaveChangesAsync();
        }));
        // The next year stays open.
        await app.DbAsync(async db => { db.Add(new CollectivePledge { OrgUnitId = tdp1, Year = Closed + 1, Category = CollectiveCategory.Study, What = "x" }); await db.SaveChangesAsync(); });
    }

    [Fact]
    public async Task A_page_that_does_not_check_the_year_itself_shows_the_refusal_instead_of_an_error()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var province = await app.OrgIdAsync("TQ");
        var id = await app.DbAsync(async db =>
        {
            var m = new ExemplaryModel { OrgUnitId = tdp2, Year = Closed - 1, Kind = ExemplaryModelKind.Collective, Title = "Ngày Chủ nhật xanh", Status = ExemplaryModelStatus.Registered };
            db.Models.Add(m);
            await db.SaveChangesAsync();
            db.PlanYears.Add(new PlanYear { OrgUnitId = province, Year = Closed - 1, Theme = "Chuyên đề", ClosedAt = TestClock.Calendar.Now });
            await db.SaveChangesAsync();
            return m.Id;
        });
        var staff = await app.SignedInAsync("tuyengiao@hlb.local");
        var version = await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Version).SingleAsync());
        var r = await staff.PostFormAsync($"/Models/Edit/{id}", new()
        {
            ["Input.Kind"] = "Collective", ["Input.Title"] = "Tên mới", ["Input.Status"] = "Registered", ["Input.Version"] = version.ToString(),
        }, getUrl: $"/Models/Edit/{id}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains($"Năm {Closed - 1} đã khóa sổ", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal("Ngày Chủ nhật xanh", await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Title).SingleAsync()));
    }
}
