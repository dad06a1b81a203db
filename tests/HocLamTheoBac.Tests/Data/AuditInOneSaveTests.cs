using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HocLamTheoBac.Tests.Data;

/// <summary>The audit trail is written by the same save as the change it records (Data/SaveChangesGuard.cs).</summary>
public sealed class AuditInOneSaveTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Year = 2029;

    /// <summary>Counts the saves a context runs, the interceptor's own included.</summary>
    private sealed class SaveCounter : SaveChangesInterceptor
    {
        public int Saves { get; private set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            Saves++;
            return ValueTask.FromResult(result);
        }
    }

    private AppDbContext Context(SaveCounter? counter = null)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(app.ConnectionString);
        if (counter is not null) options.AddInterceptors(counter);
        return new AppDbContext(options.Options, clock: TestClock.Calendar);
    }

    private Task<List<AuditEntry>> AuditOfAsync(string type, int id) =>
        app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == type && a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task New_records_of_two_tables_and_their_audit_rows_with_their_keys_are_written_by_one_save()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var counter = new SaveCounter();
        await using var db = Context(counter);
        var problem = new PressingProblem { OrgUnitId = pt, Year = Year, Title = "Ùn tắc cổng trường giờ tan học" };
        var task = new LeaderTask { OrgUnitId = pt, Year = Year, LeaderName = "Nguyễn Văn Bình", Title = "Phân luồng cổng trường" };
        db.AddRange(problem, task);
        await db.SaveChangesAsync();

        Assert.Equal(1, counter.Saves);
        Assert.True(problem.Id > 0 && task.Id > 0);
        var added = Assert.Single(await AuditOfAsync(nameof(PressingProblem), problem.Id));
        Assert.Equal("Thêm", added.Action);
        Assert.Contains("Ùn tắc cổng trường giờ tan học", added.After);
        Assert.Contains($"\"Id\":{problem.Id}", added.After!.Replace(" ", ""));
        Assert.Equal("Thêm", Assert.Single(await AuditOfAsync(nameof(LeaderTask), task.Id)).Action);
        // The keys came from the identity column's own sequence, which the column default (and COPY) draws from too.
        var next = await app.DbAsync(async d => await d.Database.SqlQueryRaw<long>(
            "SELECT nextval(pg_get_serial_sequence('pressing_problems', 'id')) AS \"Value\"").ToListAsync());
        Assert.True(next.Single() > problem.Id);
    }

    [Fact]
    public async Task A_save_refused_for_a_conflict_leaves_no_audit_row_behind_for_the_next_save_of_the_same_context()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        int id;
        await using (var first = Context())
        {
            var p = new PressingProblem { OrgUnitId = pt, Year = Year, Title = "Nước thải khu chợ" };
            first.Add(p);
            await first.SaveChangesAsync();
            id = p.Id;
        }
        await using var stale = Context();
        var mine = await stale.PressingProblems.SingleAsync(p => p.Id == id);
        await app.DbAsync(async other =>
        {
            (await other.PressingProblems.SingleAsync(p => p.Id == id)).Owner = "Ban quản lý chợ";
            await other.SaveChangesAsync();
        });
        mine.Owner = "Tổ dân phố 3";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());

        stale.Entry(mine).State = EntityState.Detached;
        var later = new PressingProblem { OrgUnitId = pt, Year = Year, Title = "Đèn đường ngõ 7" };
        stale.Add(later);
        await stale.SaveChangesAsync();

        var trail = await AuditOfAsync(nameof(PressingProblem), id);
        Assert.Equal(["Thêm", "Sửa"], trail.Select(a => a.Action));
        Assert.DoesNotContain(trail, a => a.After?.Contains("Tổ dân phố 3") == true);
        Assert.Equal("Thêm", Assert.Single(await AuditOfAsync(nameof(PressingProblem), later.Id)).Action);
    }
}
