using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>Small helpers to put pledges and plan years straight into a test database.</summary>
public static class PledgeData
{
    public static int Year => TestClock.Year;

    /// <summary>Secretary of <see cref="TwoPageBranchAsync"/>'s branch.</summary>
    public const string TwoPageSecretary = "bithu5.trang2@hlb.local";

    /// <summary>TQ-TP-MX-TDP5 with 110 more members standing here (a grid of two pages) and its secretary <see cref="TwoPageSecretary"/>, made once a
    /// database: a branch of its own, so that other tests' counts of TDP1's and TDP2's pages stay theirs. Returns the branch's id.</summary>
    public static async Task<int> TwoPageBranchAsync(this AppFactory app)
    {
        var branch = await app.OrgIdAsync("TQ-TP-MX-TDP5");
        await app.DbAsync(async db =>
        {
            if (await db.Members.AnyAsync(x => x.FullName == "Phan Văn Hai Số 001")) return 0;
            // Standing here since 1/1 (current: each has its "Thêm" link).
            var members = Enumerable.Range(1, 110).Select(i => new Member { FullName = $"Phan Văn Hai Số {i:000}", BranchId = branch }).ToList();
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
            db.MemberBranchPeriods.AddRange(members.Select(m => new MemberBranchPeriod { MemberId = m.Id, BranchId = branch, ValidFrom = new DateOnly(Year, 1, 1) }));
            return await db.SaveChangesAsync();
        });
        if (!await app.DbAsync(db => db.Users.AnyAsync(u => u.Email == TwoPageSecretary)))
            await app.CreateAccountAsync(TwoPageSecretary, AppRole.Secretary, "TQ-TP-MX-TDP5");
        return branch;
    }

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
