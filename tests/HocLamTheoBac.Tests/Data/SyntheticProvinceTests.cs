using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data.Synthetic;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Data;

public sealed class SyntheticProvinceTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly Dictionary<string, int> Kinds = new()
    {
        ["tinh-uy"] = 1, ["huyen-uy"] = 2, ["dang-uy-khoi"] = 3, ["dang-uy-phuong-xa"] = 4, ["dang-uy-co-quan"] = 5,
        ["dang-uy-doanh-nghiep"] = 6, ["chi-bo-co-so"] = 7, ["chi-bo-truc-thuoc"] = 8,
    };

    private static string Fingerprint(SyntheticProvince p) =>
        string.Join("|", p.Units.Count, p.Members.Count, p.Pledges.Count, p.Attendances.Count, p.Models.Count,
            string.Join(",", p.Members.Take(50).Select(m => m.FullName + m.BranchId)),
            string.Join(",", p.Pledges.Skip(1000).Take(50).Select(x => $"{x.MemberId}:{x.Status}:{x.Content.Length}")),
            p.Members.Sum(m => (long)m.BranchId * m.Id), p.Pledges.Sum(x => (long)x.Status * x.Id));

    [Fact]
    public void The_same_seed_builds_the_same_province_and_another_seed_a_different_one()
    {
        var o = new SyntheticOptions(2_000, 2, Seed: 7, LastYear: 2025);
        var a = SyntheticProvince.Build(o, IdBase.Ones, Kinds);
        var b = SyntheticProvince.Build(o, IdBase.Ones, Kinds);
        var c = SyntheticProvince.Build(o with { Seed = 8 }, IdBase.Ones, Kinds);
        Assert.Equal(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(Fingerprint(a), Fingerprint(c));
    }

    [Fact]
    public void Every_year_is_closed_at_its_end_unless_the_last_is_asked_open()
    {
        var closed = SyntheticProvince.Build(new SyntheticOptions(500, 2, Seed: 7, LastYear: 2026), IdBase.Ones, Kinds);
        Assert.All(closed.PlanYears, y => Assert.Equal(new DateTime(y.Year, 12, 31, 10, 0, 0, DateTimeKind.Utc), y.ClosedAt));
        var open = SyntheticProvince.Build(new SyntheticOptions(500, 2, Seed: 7, LastYear: 2026, OpenLastYear: true), IdBase.Ones, Kinds);
        Assert.All(open.PlanYears.Where(y => y.Year == 2026), y => Assert.Null(y.ClosedAt));
        Assert.All(open.PlanYears.Where(y => y.Year == 2025), y => Assert.NotNull(y.ClosedAt));
        Assert.Contains(open.PlanYears, y => y.Year == 2026);
    }

    [Fact]
    public void A_province_of_320_000_members_has_about_a_dozen_committees_600_grassroots_units_and_4_000_branches()
    {
        var p = SyntheticProvince.Build(new SyntheticOptions(320_000, 1, 1, 2025), IdBase.Ones, Kinds);
        var root = p.Units[0].Id;
        var committees = p.Units.Count(u => u.ParentId == root);
        var committeeIds = p.Units.Where(u => u.ParentId == root).Select(u => u.Id).ToHashSet();
        var grassroots = p.Units.Count(u => u.ParentId is { } parent && committeeIds.Contains(parent));
        var branches = p.Units.Count(u => u.IsBranch);
        Assert.InRange(committees, 10, 14);
        Assert.InRange(grassroots, 550, 650);
        Assert.InRange(branches, 3_700, 4_300);
        var sizes = p.Members.GroupBy(m => m.BranchId).Select(g => g.Count()).Order().ToList();
        Assert.True(sizes[^1] > 4 * sizes[sizes.Count / 2], "a few branches are much larger than the median one");
        Assert.InRange(p.Pledges.Count, 480_000, 580_000);
    }

    [Fact]
    public async Task Loading_2_000_members_beside_the_demo_data_gives_a_closed_year_with_about_98_percent_done()
    {
        var ds = NpgsqlDataSource.Create(app.ConnectionString);
        var demoUnits = await app.DbAsync(db => db.OrgUnits.CountAsync());
        var result = await SyntheticLoader.RunAsync(ds, new SyntheticOptions(2_000, 1, 3, 2025, "SYT"), null, CancellationToken.None);
        Assert.Equal(2_000, result.Members);

        await app.DbAsync(async db =>
        {
            var root = await db.OrgUnits.SingleAsync(u => u.Code == "SYT");
            Assert.Equal(demoUnits + result.Units, await db.OrgUnits.CountAsync());
            Assert.Equal(2_000, await db.Members.CountAsync(m => m.Branch.Path.IsDescendantOf(root.Path)));
            var branches = await db.OrgUnits.Where(u => u.Kind.IsBranch && u.Path.IsDescendantOf(root.Path)).ToListAsync();
            Assert.True(branches.Count >= 20);
            Assert.All(branches, b => Assert.Equal(root.Id, OrgPaths.Ids(b.Path).First()));
            Assert.Equal(branches.Count, await db.OrgPlacements.CountAsync(p => branches.Select(b => b.Id).Contains(p.OrgUnitId)));

            var pledges = db.Pledges.Where(p => p.Year == 2025 && branches.Select(b => b.Id).Contains(p.BranchId));
            var total = await pledges.CountAsync();
            var done = await pledges.CountAsync(p => p.Status == PledgeStatus.Done);
            Assert.InRange(total, 2_000, 4_000);
            Assert.InRange(done * 100.0 / total, 97.0, 98.6);
            Assert.True(await db.MemberBranchPeriods.CountAsync(p => p.ValidTo == null) >= 2_000);
            Assert.True(await db.CollectivePledges.AnyAsync(c => c.OrgUnitId == root.Id));
            Assert.True(await db.Models.AnyAsync(m => m.Kind == ExemplaryModelKind.Exemplar && m.MemberId != null));
            Assert.True(await db.Attendances.CountAsync() >= 2_000);
            Assert.True(await db.PressingProblems.AnyAsync());
            Assert.True(await db.ModelQuotas.AnyAsync(q => q.SetByOrgUnitId == root.Id));

            // Sequences moved past the loaded ids: an ordinary insert still works.
            var branch = branches[0];
            db.Members.Add(new Member { FullName = "Nguyễn Văn Mới", BranchId = branch.Id });
            await db.SaveChangesAsync();
        });

        var again = await Assert.ThrowsAsync<SyntheticException>(() => SyntheticLoader.RunAsync(ds, new SyntheticOptions(100, 1, 3, 2025, "SYT"), null, CancellationToken.None));
        Assert.Contains("SYT", again.Message);
    }
}
