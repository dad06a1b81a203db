using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
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
    public async Task Seed_demo_does_not_touch_a_database_that_has_data()
    {
        var (code, output) = await Hlb("seed", "demo");
        Assert.Equal(0, code);
        Assert.Contains("không nạp", output);
    }
}
