using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Lets `dotnet ef` build the model without starting the site or the command line (Program.Main
/// dispatches CLI verbs). `migrations add` and `migrations script` need no database; commands that do
/// (`database update`, `migrations list` with its applied column) read ConnectionStrings__Default.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                 ?? "Host=127.0.0.1;Port=5544;Database=hoclamtheobac;Username=hlb_owner";
        return new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs).Options);
    }
}
