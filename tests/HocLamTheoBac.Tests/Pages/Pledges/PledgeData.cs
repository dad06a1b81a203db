using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>Small helpers to put pledges and plan years straight into a test database.</summary>
public static class PledgeData
{
    public static int Year => TestClock.Year;

    public static Task<List<(int Id, string Name, string Card)>> MembersAsync(this AppFactory app, string branchCode, int take = 50) =>
        app.DbAsync(async db => (await db.Members.Where(m => m.Branch.Code == branchCode).OrderBy(m => m.Id).Take(take)
            .Select(m => new { m.Id, m.FullName, m.CardNumber }).ToListAsync()).Select(m => (m.Id, m.FullName, m.CardNumber!)).ToList());

    public static Task<int> DemoMemberIdAsync(this AppFactory app) =>
        app.DbAsync(db => db.Users.Where(u => u.Email == "dangvien@hlb.local").Select(u => u.MemberId!.Value).SingleAsync());

    public static Task<int> AddPledgeAsync(this AppFactory app, int memberId, PledgeStatus status, string content = "Giữ gìn vệ sinh đường phố", int? year = null) =>
        app.DbAsync(async db =>
        {
            var branchId = await db.Members.Where(m => m.Id == memberId).Select(m => m.BranchId).SingleAsync();
            var p = new Pledge { MemberId = memberId, BranchId = branchId, Year = year ?? Year, Content = content, Solution = "Mỗi tuần một buổi", Deadline = new DateOnly(year ?? Year, 12, 31), Status = status };
            db.Pledges.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });

    public static Task<Pledge> PledgeAsync(this AppFactory app, int id) =>
        app.DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.Id == id));

    public static Task<List<AuditEntry>> AuditAsync(this AppFactory app, string type, int id) =>
        app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == type && a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync());
}
