using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>A branch that starts using the system in late 2026 loads its 2025 from files only, and gets 2025's exact report.</summary>
public sealed class PastYearFromFilesTests(AppFactory app) : IClassFixture<AppFactory>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hlb-past-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<int> Hlb(params string[] args)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        return await CommandLine.RunAsync(args, new StringWriter(), config, TestClock.Calendar);
    }

    private string File(string name, StringBuilder text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text.ToString(), new UTF8Encoding(true));
        return path;
    }

    [Fact]
    public async Task Members_with_their_branch_dates_then_pledges_with_final_statuses_give_the_past_year_exact_report()
    {
        // The unit itself exists (created as the Orgs page does); everything of 2025 comes from files.
        await app.DbAsync(async db =>
        {
            var parent = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-YS");
            var kind = await db.OrgKinds.Where(k => k.Code == "chi-bo-co-so").Select(k => k.Id).SingleAsync();
            await db.AddUnitAsync(parent, kind, "TQ-YS-THPT", "Chi bộ Trường THPT Yên Sơn", new DateOnly(2015, 1, 1), default);
            await db.SaveChangesAsync();
        });

        // 46 members; columns in another order than the template; 45 joined the branch before 2025, one only in 2026.
        var members = new StringBuilder("Mã chi bộ,Họ và tên,Số thẻ đảng viên,Ngày vào Đảng,Sinh hoạt tại chi bộ từ ngày\n");
        for (var i = 1; i <= 46; i++)
            members.Append($"TQ-YS-THPT,Giáo viên {i},09{i:000000},15/03/2010,{(i == 46 ? "01/02/2026" : i % 2 == 0 ? "" : "01/09/2018")}\n");
        Assert.Equal(0, await Hlb("import", "members", File("dang-vien.csv", members), "--org", "TQ-YS-THPT"));

        // 45 pledges for 2025 from 44 members (member 1 has two, members 44 and 45 none... see below), 44 done, 1 not done.
        var pledges = new StringBuilder("Trạng thái,Số thẻ đảng viên,Nội dung,Thời hạn,Lý do\n");
        for (var i = 1; i <= 44; i++)
            pledges.Append($"Hoàn thành,09{i:000000},Việc làm theo {i},30/11/2025,\n");
        pledges.Append("Không hoàn thành,09000001,Việc thứ hai,30/11/2025,Chuyển công tác\n");
        Assert.Equal(0, await Hlb("import", "pledges", File("viec-lam-theo.csv", pledges), "--org", "TQ-YS-THPT", "--year", "2025"));

        var f = await app.DbAsync(async db =>
        {
            var id = await db.OrgUnits.Where(u => u.Code == "TQ-YS-THPT").Select(u => u.Id).SingleAsync();
            return (await Rollup.ComputeAsync(db, id, 2025, default)).Totals;
        });
        Assert.Equal(45, f.Members);               // the 46th joined in 2026
        Assert.Equal(44, f.MembersWithPlan);
        Assert.Equal(45, f.PledgesRegistered);
        Assert.Equal(44, f.PledgesDone);
        Assert.Equal("97,8\u00A0%", f.PledgeRate.ToString());
        Assert.Equal("97,8\u00A0% (44/45)", f.PlanRate.WithFraction());

        // The province's 2025 includes them; 2026 counts all 46 members.
        var province = await app.DbAsync(async db => (await Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync(), 2025, default)).Totals);
        Assert.True(province.PledgesRegistered >= 45);
    }

    [Fact]
    public async Task A_past_year_takes_only_final_statuses_and_the_header_is_checked_by_name()
    {
        var members = new StringBuilder("Họ và tên,Số thẻ đảng viên,Mã chi bộ,Sinh hoạt tại chi bộ từ ngày\nNgười Thử,07000001,TQ-TP-PT-TDP2,01/01/2020\n");
        Assert.Equal(0, await Hlb("import", "members", File("m.csv", members), "--org", "TQ-TP-PT-TDP2"));
        var wrongStatus = new StringBuilder("Số thẻ đảng viên,Nội dung,Trạng thái\n07000001,Việc cũ,Đang thực hiện\n");
        Assert.Equal(1, await Hlb("import", "pledges", File("a.csv", wrongStatus), "--org", "TQ-TP-PT-TDP2", "--year", "2025"));
        var unknownColumn = new StringBuilder("Số thẻ đảng viên,Nội dung,Ghi chú\n07000001,Việc cũ,x\n");
        Assert.Equal(1, await Hlb("import", "pledges", File("b.csv", unknownColumn), "--org", "TQ-TP-PT-TDP2", "--year", "2025"));
        var missingColumn = new StringBuilder("Số thẻ đảng viên,Giải pháp\n07000001,x\n");
        Assert.Equal(1, await Hlb("import", "pledges", File("c.csv", missingColumn), "--org", "TQ-TP-PT-TDP2", "--year", "2025"));
        Assert.Equal(0, await app.DbAsync(db => db.Pledges.CountAsync(p => p.Member.CardNumber == "07000001")));

        // The messages name the column (page and command line share PledgeImport).
        var table = HocLamTheoBac.Web.Pages.Pledges.PledgeImport.Read(new MemoryStream(Encoding.UTF8.GetBytes(unknownColumn.ToString())), "b.csv");
        var result = await app.DbAsync(async db => await HocLamTheoBac.Web.Pages.Pledges.PledgeImport.ImportAsync(db, await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT-TDP2"), 2025, table, default));
        Assert.Contains(result.Errors, e => e.Contains("Cột “Ghi chú” không thuộc mẫu nhập"));
        Assert.Equal(0, result.FailedRows);   // a refused file is not "1 dòng lỗi" (the command line's count)
        table = HocLamTheoBac.Web.Pages.Pledges.PledgeImport.Read(new MemoryStream(Encoding.UTF8.GetBytes(missingColumn.ToString())), "c.csv");
        result = await app.DbAsync(async db => await HocLamTheoBac.Web.Pages.Pledges.PledgeImport.ImportAsync(db, await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT-TDP2"), 2025, table, default));
        Assert.Contains(result.Errors, e => e.Contains("Thiếu cột “Nội dung việc làm theo”"));
        table = HocLamTheoBac.Web.Pages.Pledges.PledgeImport.Read(new MemoryStream(Encoding.UTF8.GetBytes(wrongStatus.ToString())), "a.csv");
        result = await app.DbAsync(async db => await HocLamTheoBac.Web.Pages.Pledges.PledgeImport.ImportAsync(db, await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT-TDP2"), 2025, table, default));
        Assert.Contains(result.Errors, e => e.Contains("năm 2025 đã qua"));
        Assert.Equal(1, result.FailedRows);
    }
}
