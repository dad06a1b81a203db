using HocLamTheoBac.Web.Pages;
using Npgsql;

namespace HocLamTheoBac.Tests.Reliability;

/// <summary>What a failover looks like to the site (scripts/failover-drill.sh shows it end to end): each is the 503 page, not a 500.</summary>
public sealed class FailoverErrorTests
{
    [Fact]
    public void No_primary_among_the_hosts_is_an_outage()
    {
        Assert.True(HocLamTheoBac.Web.Infrastructure.OutageGuard.IsDatabaseDown(new InvalidOperationException("wrapped", new NpgsqlException("No suitable host was found."))));
        Assert.True(HocLamTheoBac.Web.Infrastructure.OutageGuard.IsDatabaseDown(new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.")));
    }

    [Fact]
    public void A_write_on_a_node_that_became_a_standby_is_an_outage()
    {
        var readOnly = new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", "25006");
        Assert.True(HocLamTheoBac.Web.Infrastructure.OutageGuard.IsDatabaseDown(new Microsoft.EntityFrameworkCore.DbUpdateException("save", readOnly)));
    }

    [Fact]
    public void Other_database_errors_stay_errors()
    {
        Assert.False(HocLamTheoBac.Web.Infrastructure.OutageGuard.IsDatabaseDown(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(HocLamTheoBac.Web.Infrastructure.OutageGuard.IsDatabaseDown(new NpgsqlException("Something else")));
    }
}
