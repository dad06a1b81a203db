using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Cli;

public sealed class CommandLineTests(AppFactory app) : IClassFixture<AppFactory>
{
    private IConfiguration Config => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();

    private async Task<(int Code, string Out)> Hlb(params string[] args)
    {
        var sw = new StringWriter();
        var code = await CommandLine.RunAsync(args, sw, Config);
        return (code, sw.ToString());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("migrate", "--bogus")]
    [InlineData("users", "add", "--email")]
    [InlineData("users", "add", "--email", "a@b.vn", "--role", "king", "--org", "TQ")]
    public async Task An_unknown_verb_or_a_bad_argument_exits_with_2(params string[] args)
    {
        var (code, _) = await Hlb(args);
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Migrate_script_prints_idempotent_SQL_for_a_DBA()
    {
        var (code, output) = await Hlb("migrate", "--script");
        Assert.Equal(0, code);
        Assert.Contains("CREATE TABLE org_units", output);
        Assert.Contains("IF NOT EXISTS", output);
    }

    [Fact]
    public async Task Migrate_on_an_up_to_date_database_says_so()
    {
        var (code, output) = await Hlb("migrate");
        Assert.Equal(0, code);
        Assert.Contains("phiên bản mới nhất", output);
    }

    [Fact]
    public async Task Ping_connects_like_any_verb_and_refuses_an_unknown_account()
    {
        var (code, output) = await Hlb("ping");
        Assert.Equal(0, code);
        Assert.Contains("Kết nối được cơ sở dữ liệu", output);
        Assert.Contains("(PostgreSQL ", output);
        var (refused, _) = await Hlb("ping", "--as", "khong-co-ai@hlb.local");
        Assert.Equal(1, refused);
        Assert.Equal(2, (await Hlb("ping", "--bogus")).Code);
    }

    [Fact]
    public async Task Seed_demo_does_not_touch_a_database_that_has_data()
    {
        var (code, output) = await Hlb("seed", "demo");
        Assert.Equal(0, code);
        Assert.Contains("không nạp", output);
    }
}

public sealed class CommandLineScopeTests(AppFactory app) : IClassFixture<AppFactory>
{
    private IConfiguration Config => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();

    private async Task<(int Code, string Out)> Hlb(params string[] args)
    {
        var sw = new StringWriter();
        var code = await CommandLine.RunAsync(args, sw, Config);
        return (code, sw.ToString());
    }

    [Fact]
    public async Task Orgs_prints_the_whole_tree_for_the_operator_and_only_the_subtree_with_as()
    {
        var (code, all) = await Hlb("orgs");
        Assert.Equal(0, code);
        Assert.Contains("TQ-YS-UB-VP", all);
        Assert.Contains("      TQ-TP-PT-TDP1\t", all);
        var (_, mine) = await Hlb("orgs", "--as", "tuyengiao.tp@hlb.local");
        Assert.Contains("TQ-TP-PT-TDP1", mine);
        Assert.DoesNotContain("TQ-YS", mine);
    }

    [Fact]
    public async Task Import_with_as_is_refused_outside_the_accounts_subtree_and_allowed_inside()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, string.Join(",", HocLamTheoBac.Web.Pages.Members.MemberImport.Columns) + "\nHoàng Văn Giang,02/09/1975,Nam,55000001,,,,,,\n");
        try
        {
            var (refused, _) = await Hlb("import", "members", file, "--org", "TQ-TP-PT-TDP1", "--as", "bithu2@hlb.local");
            Assert.Equal(1, refused);
            var (ok, output) = await Hlb("import", "members", file, "--org", "TQ-TP-PT-TDP1", "--as", "bithu@hlb.local");
            Assert.Equal(0, ok);
            Assert.Contains("Đã nhập 1 đảng viên", output);
            var entries = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "Member" && a.Action == "Thêm").Select(a => new { a.Actor, a.After }).ToListAsync());
            var audit = entries.Single(e => e.After!.Contains("55000001")).Actor;
            Assert.Equal("bithu@hlb.local (dòng lệnh)", audit);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task Users_add_creates_an_administrator_that_can_sign_in_and_the_operator_is_audited()
    {
        var (code, output) = await Hlb("users", "add", "--email", "quantri2@hlb.local", "--role", "admin", "--org", "TQ-YS", "--password", "MatKhauManh2026");
        Assert.Equal(0, code);
        Assert.Contains("Quản trị viên", output);
        await app.SignedInAsync("quantri2@hlb.local", "MatKhauManh2026");
        var actor = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "RoleBinding").OrderByDescending(a => a.Id).Select(a => a.Actor).FirstAsync());
        Assert.StartsWith("operator", actor);
    }

    [Fact]
    public async Task Users_add_with_a_member_card_links_the_account_to_that_member_and_refuses_an_unknown_card()
    {
        var member = await app.DbAsync(db => db.Members.Where(m => m.Branch.Code == "TQ-TP-PT-TDP2" && m.CardNumber != null).OrderBy(m => m.Id).Select(m => new { m.Id, m.CardNumber }).FirstAsync());
        var (code, output) = await Hlb("users", "add", "--email", "dv.moi@hlb.local", "--role", "member", "--org", "TQ-TP-PT-TDP2", "--member-card", member.CardNumber!, "--password", "MatKhauManh2026");
        Assert.Equal(0, code);
        Assert.Contains("Đảng viên", output);
        Assert.Equal(member.Id, await app.DbAsync(db => db.Users.Where(u => u.Email == "dv.moi@hlb.local").Select(u => u.MemberId).SingleAsync()));

        var (refused, _) = await Hlb("users", "add", "--email", "dv.khac@hlb.local", "--role", "member", "--org", "TQ-TP-PT-TDP2", "--member-card", "KHONG-CO", "--password", "MatKhauManh2026");
        Assert.Equal(1, refused);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Email == "dv.khac@hlb.local")));
    }
}
