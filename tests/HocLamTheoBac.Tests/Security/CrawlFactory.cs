using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>The demo data plus one record of each kind the demo leaves empty, so every detail page has something to show.</summary>
public class CrawlFactory : AppFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DbAsync(async db =>
        {
            var branch = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT-TDP1");
            var year = DateTime.UtcNow.Year;
            if (!await db.Models.AnyAsync())
                db.Models.Add(new ExemplaryModel { OrgUnitId = branch.Id, Year = year, Kind = ModelKind.Collective, Title = "Mô hình kiểm thử", Field = "Văn hóa" });
            if (!await db.StudySessions.AnyAsync())
                db.StudySessions.Add(new StudySession { OrgUnitId = branch.Id, Year = year, HeldOn = new DateOnly(year, 3, 10), Theme = "Chuyên đề kiểm thử" });
            await db.SaveChangesAsync();
        });
    }
}
